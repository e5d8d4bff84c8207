namespace MLNeuro.Transforms;

/// <summary>Options of <see cref="UnitDropout"/>.</summary>
/// <remarks>
/// POYO (torch_brain's <c>UnitDropout</c>) draws the number of units to keep from a triangle over unit counts
/// (minimum 20, peak 100, maximum 300, with rejection). We express the triangle over the dropped <em>fraction</em> so
/// the same options suit recordings of 30 or 3,000 units; the defaults (0, 0.25, 0.5: usually a quarter of the units
/// dropped, never more than half) are ours, not POYO's.
/// </remarks>
/// <example><code>
/// var nuclr = new UnitDropoutOptions(); // keep 50-100%, uniform
/// var poyo = new UnitDropoutOptions { Distribution = DropoutDistribution.Triangular, ModeDropFraction = 0.1 };
/// </code></example>
public sealed record UnitDropoutOptions
{
    /// <summary>Distribution of the kept / dropped fraction; default <see cref="DropoutDistribution.Uniform"/>.</summary>
    public DropoutDistribution Distribution { get; init; } = DropoutDistribution.Uniform;

    /// <summary>Uniform: smallest kept fraction, in [0, 1]; default 0.5 (NuCLR).</summary>
    public double MinKeepFraction { get; init; } = 0.5;

    /// <summary>Uniform: largest kept fraction, in [<see cref="MinKeepFraction"/>, 1]; default 1.</summary>
    public double MaxKeepFraction { get; init; } = 1.0;

    /// <summary>Triangular: smallest dropped fraction, in [0, 1]; default 0.</summary>
    public double MinDropFraction { get; init; }

    /// <summary>Triangular: most likely dropped fraction, in [<see cref="MinDropFraction"/>, <see cref="MaxDropFraction"/>]; default 0.25.</summary>
    public double ModeDropFraction { get; init; } = 0.25;

    /// <summary>Triangular: largest dropped fraction, in [<see cref="MinDropFraction"/>, 1]; default 0.5.</summary>
    public double MaxDropFraction { get; init; } = 0.5;

    /// <summary>A view keeps at least this many units (or all of them when fewer are present); default 1.</summary>
    public int MinKeptUnits { get; init; } = 1;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad option.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Distribution)) throw new ArgumentOutOfRangeException(nameof(Distribution), Distribution, "unknown distribution");
        CheckFraction(MinKeepFraction, nameof(MinKeepFraction));
        CheckFraction(MaxKeepFraction, nameof(MaxKeepFraction));
        if (MaxKeepFraction < MinKeepFraction)
            throw new ArgumentOutOfRangeException(nameof(MaxKeepFraction), MaxKeepFraction, $"must be at least MinKeepFraction ({MinKeepFraction})");
        CheckFraction(MinDropFraction, nameof(MinDropFraction));
        CheckFraction(ModeDropFraction, nameof(ModeDropFraction));
        CheckFraction(MaxDropFraction, nameof(MaxDropFraction));
        if (MaxDropFraction < MinDropFraction)
            throw new ArgumentOutOfRangeException(nameof(MaxDropFraction), MaxDropFraction, $"must be at least MinDropFraction ({MinDropFraction})");
        if (ModeDropFraction < MinDropFraction || ModeDropFraction > MaxDropFraction)
            throw new ArgumentOutOfRangeException(nameof(ModeDropFraction), ModeDropFraction, $"must lie in [MinDropFraction, MaxDropFraction] = [{MinDropFraction}, {MaxDropFraction}]");
        if (MinKeptUnits < 0) throw new ArgumentOutOfRangeException(nameof(MinKeptUnits), MinKeptUnits, "must not be negative");
    }

    private static void CheckFraction(double value, string name)
    {
        if (!(value >= 0 && value <= 1)) throw new ArgumentOutOfRangeException(name, value, "must be a fraction in [0, 1]");
    }
}
