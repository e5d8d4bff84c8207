namespace MLNeuro.Transforms;

/// <summary>How <see cref="UnitDropout"/> draws the fraction of units a view keeps.</summary>
public enum DropoutDistribution
{
    /// <summary>
    /// Keep fraction uniform in [<see cref="UnitDropoutOptions.MinKeepFraction"/>, <see cref="UnitDropoutOptions.MaxKeepFraction"/>]
    /// (NuCLR: 50-100% of units per view).
    /// </summary>
    Uniform,

    /// <summary>
    /// Dropped fraction from a triangular distribution on [<see cref="UnitDropoutOptions.MinDropFraction"/>,
    /// <see cref="UnitDropoutOptions.MaxDropFraction"/>] with its peak at <see cref="UnitDropoutOptions.ModeDropFraction"/>
    /// (after POYO's unit dropout).
    /// </summary>
    Triangular,
}
