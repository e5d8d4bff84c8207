namespace MLNeuro.Estimators;

/// <summary>
/// POYO's unit dropout as the reference trains (torch_brain's <c>UnitDropout</c> with its <c>TriangleDistribution</c>;
/// train_poyo_1.yaml: min 30, mode 100, max 300, peak 4): every training window keeps a random subset of its
/// session's units whose size is drawn from a triangular-shaped density rising from <see cref="MinUnits"/> to
/// <see cref="ModeUnits"/> and falling to <see cref="MaxUnits"/>, capped by the population; a session with fewer than
/// <see cref="MinUnits"/> units keeps them all. Draws come from the step's seeded generator.
/// </summary>
/// <example><code>
/// var options = new PoyoDecodingOptions { UnitDropout = PoyoUnitDropout.Reference with { ModeUnits = 50 } };
/// </code></example>
public sealed record PoyoUnitDropout
{
    /// <summary>Smallest count drawn (and below which a population keeps every unit). Default 30.</summary>
    public int MinUnits { get; init; } = 30;

    /// <summary>Most likely count. Default 100.</summary>
    public int ModeUnits { get; init; } = 100;

    /// <summary>Largest count drawn (before the cap by the population). Default 300.</summary>
    public int MaxUnits { get; init; } = 300;

    /// <summary>Height of the density at the mode relative to its ends (1). Default 4.</summary>
    public double Peak { get; init; } = 4;

    /// <summary>The reference's settings (train_poyo_1.yaml).</summary>
    public static PoyoUnitDropout Reference { get; } = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (MinUnits < 1) throw new ArgumentOutOfRangeException(nameof(MinUnits), MinUnits, "must be at least 1");
        if (!(ModeUnits > MinUnits && ModeUnits < MaxUnits))
            throw new ArgumentOutOfRangeException(nameof(ModeUnits), ModeUnits, $"must lie strictly between MinUnits ({MinUnits}) and MaxUnits ({MaxUnits})");
        if (!(Peak >= 1)) throw new ArgumentOutOfRangeException(nameof(Peak), Peak, "must be at least 1");
    }
}
