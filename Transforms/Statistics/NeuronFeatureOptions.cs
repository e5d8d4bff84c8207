using System.Text.Json.Serialization;

namespace MLNeuro.Transforms;

/// <summary>
/// Settings of <see cref="NeuronFeatures"/>. Every default is the CellExplorer-style choice the feature list in
/// <see cref="NeuronFeatures"/> documents; changing a bin setting changes the vector length and the names, so keep one
/// options instance per feature table. Times are seconds.
/// </summary>
/// <example><code>
/// var options = new NeuronFeatureOptions { FanoWindowSeconds = new[] { 0.05, 0.5 }, MaxDegreeOfParallelism = 2 };
/// IReadOnlyList&lt;string&gt; names = NeuronFeatures.Names(options);
/// </code></example>
public sealed class NeuronFeatureOptions
{
    /// <summary>Units with fewer spikes than this get <c>few_spikes</c> = 1 (their statistics are noise). Default 20.</summary>
    public int FewSpikesThreshold { get; init; } = 20;

    /// <summary>Floor applied before taking <c>log10_rate_hz</c>, so silent units get log10(floor) rather than -infinity. Default 0.001 Hz.</summary>
    public double RateFloorHz { get; init; } = 1e-3;

    /// <summary>ISIs shorter than this count as burst ISIs (<c>burst_index</c>), and ACG pairs closer than this form the
    /// numerator of <c>burst_acg_index</c>. Default 0.010 s.</summary>
    public double BurstIsiSeconds { get; init; } = 0.010;

    /// <summary>Start of the reference lag range of <c>burst_acg_index</c>. Default 0.200 s.</summary>
    public double BurstReferenceStartSeconds { get; init; } = 0.200;

    /// <summary>End (exclusive) of the reference lag range of <c>burst_acg_index</c>. Default 0.300 s.</summary>
    public double BurstReferenceEndSeconds { get; init; } = 0.300;

    /// <summary>Bin width of the fine ACG the refractory estimate reads. Default 0.0005 s.</summary>
    public double RefractoryBinSeconds { get; init; } = 0.0005;

    /// <summary>Largest refractory estimate: when no fine bin below it reaches the threshold, the estimate is this
    /// value (censored). Default 0.020 s.</summary>
    public double RefractoryMaxSeconds { get; init; } = 0.020;

    /// <summary>The ACG density over [<see cref="RefractoryMaxSeconds"/>, this) is the asymptote the refractory
    /// threshold is a fraction of. Default 0.050 s.</summary>
    public double RefractoryReferenceEndSeconds { get; init; } = 0.050;

    /// <summary>Fraction of the asymptote the fine ACG must reach to end the refractory period. Default 0.5.</summary>
    public double RefractoryFraction { get; init; } = 0.5;

    /// <summary>Count windows of the Fano factors (one feature each, e.g. <c>fano_100ms</c>). Default 0.1 s and 1 s.</summary>
    public IReadOnlyList<double> FanoWindowSeconds { get; init; } = new[] { 0.1, 1.0 };

    /// <summary>Bin width of the activity whose skewness and excess kurtosis are features (and POYO-SSL's predictability
    /// criterion). Default 0.020 s.</summary>
    public double MomentBinSeconds { get; init; } = 0.020;

    /// <summary>Number of log-spaced ISI histogram bins. Default 20.</summary>
    public int IsiHistogramBins { get; init; } = 20;

    /// <summary>Lower edge of the ISI histogram; shorter ISIs go to the first bin. Default 0.001 s.</summary>
    public double IsiHistogramMinSeconds { get; init; } = 0.001;

    /// <summary>Upper edge of the ISI histogram; longer ISIs go to the last bin. Default 10 s.</summary>
    public double IsiHistogramMaxSeconds { get; init; } = 10.0;

    /// <summary>Bin width of the narrow autocorrelogram. Default 0.001 s.</summary>
    public double NarrowAcgBinSeconds { get; init; } = 0.001;

    /// <summary>Largest lag of the narrow autocorrelogram (one side; ACGs are symmetric). Default 0.050 s.</summary>
    public double NarrowAcgMaxLagSeconds { get; init; } = 0.050;

    /// <summary>Bin width of the wide autocorrelogram. Default 0.020 s.</summary>
    public double WideAcgBinSeconds { get; init; } = 0.020;

    /// <summary>Largest lag of the wide autocorrelogram (one side). Default 1 s.</summary>
    public double WideAcgMaxLagSeconds { get; init; } = 1.0;

    /// <summary>Number of log-spaced autocorrelogram bins. Default 20.</summary>
    public int LogAcgBins { get; init; } = 20;

    /// <summary>Smallest lag of the log-binned autocorrelogram. Default 0.001 s.</summary>
    public double LogAcgMinLagSeconds { get; init; } = 0.001;

    /// <summary>Largest lag of the log-binned autocorrelogram. Default 1 s.</summary>
    public double LogAcgMaxLagSeconds { get; init; } = 1.0;

    /// <summary>
    /// Null (the default): every feature covers the session's whole domain [start, end). A kind name such as
    /// <c>"trial"</c>: features cover only the session's intervals of that kind (<see cref="MLNeuro.Loaders.Recording.Intervals"/>),
    /// for recordings that hold data only inside trials. Spikes outside are ignored, overlapping or touching intervals are
    /// merged, the observation time is their total length, and ISIs, autocorrelogram pairs and count bins never span two
    /// intervals; <see cref="NeuronFeatures"/> says what each feature family does. A session without an interval of this
    /// kind (or with zero total length) is an error naming the session and the kind. The vector layout does not change.
    /// </summary>
    /// <example><code>
    /// var options = new NeuronFeatureOptions { IntervalKind = "trial" };
    /// float[] table = NeuronFeatures.ComputeAll(recording, options); // throws if the session has no "trial" interval
    /// </code></example>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] // default options persist as before the option existed
    public string? IntervalKind { get; init; }

    /// <summary>Threads of <see cref="NeuronFeatures.ComputeAll"/>; 0 or less means all processors (the default). The
    /// output does not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option at fault.</summary>
    public void Validate()
    {
        Range(FewSpikesThreshold, 0, int.MaxValue, nameof(FewSpikesThreshold));
        Positive(RateFloorHz, nameof(RateFloorHz));
        Positive(BurstIsiSeconds, nameof(BurstIsiSeconds));
        Positive(BurstReferenceStartSeconds, nameof(BurstReferenceStartSeconds));
        Range(BurstReferenceEndSeconds, BurstReferenceStartSeconds * (1 + 1e-12), 1e4, nameof(BurstReferenceEndSeconds));
        Positive(RefractoryBinSeconds, nameof(RefractoryBinSeconds));
        BinCount(RefractoryMaxSeconds, RefractoryBinSeconds, nameof(RefractoryMaxSeconds));
        Range(RefractoryReferenceEndSeconds, RefractoryMaxSeconds * (1 + 1e-12), 1e4, nameof(RefractoryReferenceEndSeconds));
        Range(RefractoryFraction, double.Epsilon, 10, nameof(RefractoryFraction));
        if (FanoWindowSeconds is null || FanoWindowSeconds.Count == 0)
            throw new ArgumentOutOfRangeException(nameof(FanoWindowSeconds), "at least one Fano window is needed");
        foreach (var w in FanoWindowSeconds) Positive(w, nameof(FanoWindowSeconds));
        Positive(MomentBinSeconds, nameof(MomentBinSeconds));
        Range(IsiHistogramBins, 1, 10_000, nameof(IsiHistogramBins));
        Positive(IsiHistogramMinSeconds, nameof(IsiHistogramMinSeconds));
        Range(IsiHistogramMaxSeconds, IsiHistogramMinSeconds * (1 + 1e-9), 1e6, nameof(IsiHistogramMaxSeconds));
        Positive(NarrowAcgBinSeconds, nameof(NarrowAcgBinSeconds));
        BinCount(NarrowAcgMaxLagSeconds, NarrowAcgBinSeconds, nameof(NarrowAcgMaxLagSeconds));
        Positive(WideAcgBinSeconds, nameof(WideAcgBinSeconds));
        BinCount(WideAcgMaxLagSeconds, WideAcgBinSeconds, nameof(WideAcgMaxLagSeconds));
        Range(LogAcgBins, 1, 10_000, nameof(LogAcgBins));
        Positive(LogAcgMinLagSeconds, nameof(LogAcgMinLagSeconds));
        Range(LogAcgMaxLagSeconds, LogAcgMinLagSeconds * (1 + 1e-9), 1e4, nameof(LogAcgMaxLagSeconds));
        if (IntervalKind is not null && string.IsNullOrWhiteSpace(IntervalKind))
            throw new ArgumentOutOfRangeException(nameof(IntervalKind), IntervalKind, "IntervalKind must be null (whole domain) or an interval kind name such as \"trial\"");
    }

    /// <summary>Number of bins of width <paramref name="bin"/> that tile [0, <paramref name="maxLag"/>); the range must be a whole number of bins.</summary>
    internal static int Bins(double maxLag, double bin) => (int)Math.Round(maxLag / bin);

    private static void BinCount(double maxLag, double bin, string name)
    {
        Positive(maxLag, name);
        double n = maxLag / bin;
        if (!(Math.Round(n) >= 1 && Math.Round(n) <= 100_000 && Math.Abs(n - Math.Round(n)) < 1e-6))
            throw new ArgumentOutOfRangeException(name, maxLag, $"{name} must be a whole number (1 to 100000) of bins of {bin} s");
    }

    private static void Positive(double value, string name)
    {
        if (!(value > 0 && double.IsFinite(value)))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite");
    }

    private static void Range(double value, double min, double max, string name)
    {
        if (!(value >= min && value <= max))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}");
    }
}
