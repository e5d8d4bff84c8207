namespace MLNeuro.Transforms;

/// <summary>Which units get a <see cref="TokenType.UnitStart"/> and a <see cref="TokenType.UnitEnd"/> token in a window.</summary>
public enum StartEndTokenUnits
{
    /// <summary>
    /// Only units with at least one spike in the window (before any cap is applied). A silent unit then leaves no trace
    /// in the window, and the token count does not grow with the size of the population.
    /// </summary>
    UnitsWithSpikes = 0,

    /// <summary>
    /// Every unit of the recording's population, spiking or not, as the POYO reference does: the model can tell "this
    /// unit was recorded and was silent" from "this unit was not recorded". Costs 2 tokens per unit per window.
    /// </summary>
    AllUnits = 1,
}
