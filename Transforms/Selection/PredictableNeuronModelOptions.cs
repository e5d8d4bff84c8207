namespace MLNeuro.Transforms;

/// <summary>
/// What a fitted <see cref="PredictableNeuronEstimator"/> persists: the measurement settings and the concrete
/// thresholds (the options' in Thresholds mode, the learned ones in Quantile mode). Always finite, because the JSON
/// carrier cannot hold infinities: an infinite threshold is stored as ±<see cref="double.MaxValue"/>, which decides
/// every finite statistic the same way.
/// </summary>
internal sealed record PredictableNeuronModelOptions
{
    public double BinSeconds { get; init; }

    public int MinSpikeCount { get; init; }

    public double MaxSkewness { get; init; }

    public double MaxKurtosis { get; init; }

    public static double Finite(double threshold) => Math.Clamp(threshold, double.MinValue, double.MaxValue);

    /// <summary>The plain selector's options that measure one unit and apply these thresholds.</summary>
    public PredictableNeuronOptions ToSelectorOptions() => new()
    {
        Mode = PredictableNeuronMode.Thresholds,
        Source = ActivitySource.BinnedSpikes,
        BinSeconds = BinSeconds,
        MinSpikeCount = MinSpikeCount,
        MaxSkewness = MaxSkewness,
        MaxKurtosis = MaxKurtosis,
    };
}
