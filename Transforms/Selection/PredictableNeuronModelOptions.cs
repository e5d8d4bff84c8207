namespace MLNeuro.Transforms;

/// <summary>
/// What a fitted <see cref="PredictableNeuronEstimator"/> persists: the measurement settings and the concrete
/// thresholds (the options' in Thresholds mode, the learned ones in Quantile mode). Always finite, because the JSON
/// carrier cannot hold infinities: an infinite threshold is stored as ±<see cref="double.MaxValue"/>, which decides
/// every finite statistic the same way.
/// </summary>
public sealed record PredictableNeuronModelOptions
{
    /// <summary>Bin width (s) of the counts whose skewness and kurtosis are measured.</summary>
    public double BinSeconds { get; init; }

    /// <summary>Units with fewer spikes are never predictable.</summary>
    public int MinSpikeCount { get; init; }

    /// <summary>A unit is predictable when its count skewness is at most this (and its kurtosis at most <see cref="MaxKurtosis"/>).</summary>
    public double MaxSkewness { get; init; }

    /// <summary>The kurtosis threshold.</summary>
    public double MaxKurtosis { get; init; }

    /// <summary>The threshold as stored: infinities become ±<see cref="double.MaxValue"/>.</summary>
    internal static double Finite(double threshold) => Math.Clamp(threshold, double.MinValue, double.MaxValue);

    /// <summary>The plain selector's options that measure one unit and apply these thresholds.</summary>
    internal PredictableNeuronOptions ToSelectorOptions() => new()
    {
        Mode = PredictableNeuronMode.Thresholds,
        Source = ActivitySource.BinnedSpikes,
        BinSeconds = BinSeconds,
        MinSpikeCount = MinSpikeCount,
        MaxSkewness = MaxSkewness,
        MaxKurtosis = MaxKurtosis,
    };
}
