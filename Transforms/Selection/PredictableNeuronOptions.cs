namespace MLNeuro.Transforms;

/// <summary>
/// Options of <see cref="PredictableNeuronSelector"/> (POYO-SSL's choice of "predictable" neurons by the skewness and
/// excess kurtosis of their activity).
/// </summary>
/// <remarks>
/// Where the default thresholds come from: Bae, Azabou, Cha and Richards (2025, arXiv:2510.18516, "POYO-SSL") found
/// skewness 3.51 and kurtosis 22.62 by knee detection over the per-neuron statistics of Allen Brain Observatory
/// <em>calcium dF/F traces</em> (one sample per imaging frame, ~30 Hz). We read the kurtosis as excess (Fisher)
/// kurtosis, scipy's default. On spiking data the statistics depend on the bin width (narrow bins make every sparse
/// unit look skewed), so the thresholds do not carry over as they stand: for spikes prefer
/// <see cref="PredictableNeuronMode.Quantile"/>, or calibrate the thresholds at your <see cref="BinSeconds"/>.
/// </remarks>
/// <example><code>
/// var options = new PredictableNeuronOptions { Mode = PredictableNeuronMode.Quantile, Quantile = 0.5, IntervalKind = "train" };
/// </code></example>
public sealed record PredictableNeuronOptions
{
    /// <summary>Default <see cref="BinSeconds"/>: 20 ms, the bin of the binned models (NuCLR, MtM).</summary>
    public const double DefaultBinSeconds = 0.02;

    /// <summary>Default <see cref="MaxSkewness"/>, from the POYO-SSL paper.</summary>
    public const double DefaultMaxSkewness = 3.51;

    /// <summary>Default <see cref="MaxKurtosis"/>, from the POYO-SSL paper.</summary>
    public const double DefaultMaxKurtosis = 22.62;

    /// <summary>Selection rule; default <see cref="PredictableNeuronMode.Thresholds"/>.</summary>
    public PredictableNeuronMode Mode { get; init; } = PredictableNeuronMode.Thresholds;

    /// <summary>Signal to measure; default <see cref="ActivitySource.Auto"/>.</summary>
    public ActivitySource Source { get; init; } = ActivitySource.Auto;

    /// <summary>Bin width in seconds for spike counts; default 0.02. Only the full bins of each interval are used.</summary>
    public double BinSeconds { get; init; } = DefaultBinSeconds;

    /// <summary>Threshold mode: largest skewness of a predictable unit; default 3.51.</summary>
    public double MaxSkewness { get; init; } = DefaultMaxSkewness;

    /// <summary>Threshold mode: largest excess kurtosis of a predictable unit; default 22.62.</summary>
    public double MaxKurtosis { get; init; } = DefaultMaxKurtosis;

    /// <summary>
    /// Quantile mode: fraction q in [0, 1] of eligible units to mark predictable; default 0.5. Each eligible unit gets a
    /// skewness rank and a kurtosis rank (1 + the number of eligible units with a strictly smaller value, so ties share a
    /// rank); units are ordered by the worse (larger) of their two ranks, then by the sum of the ranks, then by session id
    /// and unit id (ordinal), and the first floor(q · n) of the n eligible units are predictable. Taking the worse rank
    /// mirrors the threshold rule: a unit must be low on both statistics.
    /// </summary>
    public double Quantile { get; init; } = 0.5;

    /// <summary>
    /// Units with fewer spikes than this over the fitted data are not eligible (never predictable, and not counted in
    /// quantile mode); default 10. Ignored for calcium traces.
    /// </summary>
    public int MinSpikeCount { get; init; } = 10;

    /// <summary>
    /// When set, only intervals of this kind (e.g. "train") are measured, overlaps counted once; a recording without
    /// such intervals contributes nothing. When null, each recording's whole domain is measured. Default null.
    /// </summary>
    public string? IntervalKind { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad option.</summary>
    public void Validate()
    {
        if (!(BinSeconds > 0) || !double.IsFinite(BinSeconds))
            throw new ArgumentOutOfRangeException(nameof(BinSeconds), BinSeconds, "bin width must be a positive number of seconds");
        if (double.IsNaN(MaxSkewness)) throw new ArgumentOutOfRangeException(nameof(MaxSkewness), MaxSkewness, "threshold must be a number");
        if (double.IsNaN(MaxKurtosis)) throw new ArgumentOutOfRangeException(nameof(MaxKurtosis), MaxKurtosis, "threshold must be a number");
        if (!(Quantile >= 0 && Quantile <= 1))
            throw new ArgumentOutOfRangeException(nameof(Quantile), Quantile, "quantile must be a fraction in [0, 1]");
        if (MinSpikeCount < 0) throw new ArgumentOutOfRangeException(nameof(MinSpikeCount), MinSpikeCount, "must not be negative");
        if (!Enum.IsDefined(Mode)) throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "unknown mode");
        if (!Enum.IsDefined(Source)) throw new ArgumentOutOfRangeException(nameof(Source), Source, "unknown source");
        if (IntervalKind is not null && string.IsNullOrWhiteSpace(IntervalKind))
            throw new ArgumentOutOfRangeException(nameof(IntervalKind), IntervalKind, "interval kind is blank; use null for the whole recording");
    }
}
