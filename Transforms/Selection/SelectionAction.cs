namespace MLNeuro.Transforms;

/// <summary>What <see cref="PredictableNeuronSelection.Apply"/> does with the units of a recording.</summary>
public enum SelectionAction
{
    /// <summary>Keep only predictable units; the unit table, spikes and traces are re-indexed consistently.</summary>
    Keep,

    /// <summary>Keep only unpredictable units (the POYO-SSL fine-tuning population), re-indexed the same way.</summary>
    Drop,

    /// <summary>Keep every unit and add the metadata column <c>predictable</c> = "true" / "false".</summary>
    Flag,
}
