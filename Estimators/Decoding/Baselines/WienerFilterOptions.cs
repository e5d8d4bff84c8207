namespace MLNeuro.Estimators;

/// <summary>
/// Settings of <see cref="WienerFilterDecoder"/>: the lagged-count features and the ridge strengths tried. Stored in the
/// artifact's manifest.
/// </summary>
/// <example><code>
/// var options = new WienerFilterOptions { BinSeconds = 0.05, Lags = 10, RidgeGrid = [1e-3, 1e-2, 1e-1] };
/// </code></example>
public sealed record WienerFilterOptions
{
    /// <summary>Bin width in seconds. Default 0.05.</summary>
    public double BinSeconds { get; init; } = 0.05;

    /// <summary>Bins of history per unit, the current bin included (10 x 50 ms = 0.5 s). Default 10.</summary>
    public int Lags { get; init; } = 10;

    /// <summary>
    /// How many of the <see cref="Lags"/> bins lie after the bin holding the prediction time: 0 (default) is a causal
    /// decoder reading the past; Lags / 2 centres the window on the prediction time, as POYO's windows see spikes on both
    /// sides of an output time. Bins past the recording's end count as zero.
    /// </summary>
    public int LeadBins { get; init; }

    /// <summary>
    /// L2 strengths (ML.NET SDCA's <c>L2Regularization</c>, on z-scored features and targets) tried for every session
    /// and channel; the one with the lowest mean squared error on the split's validation intervals is kept.
    /// Default 1e-3, 1e-2, 1e-1, 1, 10 (weaker strengths are slow for SDCA to converge and, measured against the
    /// closed-form solution on synthetic data, no better; on the 300 s synthetic sessions 1 was the most chosen, so the
    /// grid reaches one decade above it).
    /// </summary>
    public IReadOnlyList<double> RidgeGrid { get; init; } = [1e-3, 1e-2, 1e-1, 1, 10];

    /// <summary>The strength used when a session's split has no validation samples (nothing to choose on). Default 1e-2.</summary>
    public double DefaultRidge { get; init; } = 1e-2;

    /// <summary>Maximum passes of SDCA over the training samples. Default 50.</summary>
    public int MaxIterations { get; init; } = 50;

    /// <summary>Seed of the ML.NET context (SDCA's sample order). Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// The split options that made the training splits, recorded in the artifact so that an evaluation scores the same
    /// held-out part (<c>Train</c> itself takes the splits). Default: the first 80% trains.
    /// </summary>
    public DecodingSplitOptions Split { get; init; } = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(BinSeconds > 0) || !double.IsFinite(BinSeconds)) throw new ArgumentOutOfRangeException(nameof(BinSeconds), BinSeconds, "must be a positive number of seconds");
        if (Lags < 1) throw new ArgumentOutOfRangeException(nameof(Lags), Lags, "must be at least 1");
        if (LeadBins < 0 || LeadBins >= Lags) throw new ArgumentOutOfRangeException(nameof(LeadBins), LeadBins, $"must be in [0, Lags = {Lags})");
        if (RidgeGrid is null || RidgeGrid.Count == 0) throw new ArgumentOutOfRangeException(nameof(RidgeGrid), null, "needs at least one strength");
        foreach (double r in RidgeGrid)
            if (!(r > 0) || !double.IsFinite(r)) throw new ArgumentOutOfRangeException(nameof(RidgeGrid), r, "strengths must be positive");
        if (!(DefaultRidge > 0) || !double.IsFinite(DefaultRidge)) throw new ArgumentOutOfRangeException(nameof(DefaultRidge), DefaultRidge, "must be positive");
        if (MaxIterations < 1) throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "must be at least 1");
    }
}
