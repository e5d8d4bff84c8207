using MLNeuro.Loaders;

namespace MLNeuro.Estimators;

/// <summary>
/// How NuCLR pretraining batches are cut from recordings (docs/design.md, 'NuCLR'): each sample is K views of the same
/// recording, each view a window of binned counts cut into patches, with its own unit dropout. Every default is
/// documented on its property and follows the paper (10 s windows of 10 patches of 1 s at 20 ms bins, two views within
/// ±30 s, 50-100% of units kept per view).
/// </summary>
/// <remarks>
/// <para>
/// Whole-domain mode (<see cref="IntervalKind"/> null): a view is a window of <see cref="WindowSeconds"/> inside the
/// recording's domain, cut into <see cref="PatchCount"/> patches of WindowSeconds / PatchCount, each of
/// (WindowSeconds / PatchCount) / <see cref="BinSeconds"/> bins (must be a whole number). The starts of all views of a
/// sample lie within <see cref="MaxOffsetSeconds"/> of each other.
/// </para>
/// <para>
/// Interval mode (<see cref="IntervalKind"/> set, e.g. "trial" for Steinmetz data, where spikes exist only inside
/// 0.4 s trials): a window would straddle the gaps between trials, so a view is instead <see cref="PatchCount"/>
/// consecutive intervals of that kind, one patch per interval, starting at a random interval index; every patch holds
/// floor(interval length / BinSeconds) bins from the interval's start, and that number must be the same for every
/// interval (Steinmetz trials: 0.4 s -> 20 bins of 20 ms). The first interval indices of the views of a sample lie
/// within <see cref="MaxOffsetIntervals"/> of each other. <see cref="WindowSeconds"/> and
/// <see cref="MaxOffsetSeconds"/> are not used in this mode.
/// </para>
/// </remarks>
/// <example><code>
/// var paper = new NuclrSamplingOptions();                                          // 10 s, 10 x 50 bins, 2 views
/// var trials = new NuclrSamplingOptions { IntervalKind = "trial", PatchCount = 8 }; // 8 trials per view
/// </code></example>
public sealed record NuclrSamplingOptions
{
    /// <summary>Whole-domain mode: length of every view window in seconds; default 10 (NuCLR).</summary>
    public double WindowSeconds { get; init; } = 10;

    /// <summary>Patches per view (the temporal tokens of a unit); default 10 (NuCLR: 1 s patches).</summary>
    public int PatchCount { get; init; } = 10;

    /// <summary>Bin width in seconds; default 0.02 (20 ms, so 50 bins per 1 s patch).</summary>
    public double BinSeconds { get; init; } = 0.02;

    /// <summary>Views per sample, at least 2; default 2 (NuCLR). More views suit the non-contrastive objectives.</summary>
    public int Views { get; init; } = 2;

    /// <summary>Whole-domain mode: largest distance in seconds between the starts of two views of a sample; default 30.</summary>
    public double MaxOffsetSeconds { get; init; } = 30;

    /// <summary>
    /// Interval mode: largest distance, in interval indices, between the first intervals of two views of a sample;
    /// default 10 (with trials every few seconds, about NuCLR's ±30 s).
    /// </summary>
    public int MaxOffsetIntervals { get; init; } = 10;

    /// <summary>Smallest fraction of a recording's units kept in a view, in [0, 1]; default 0.5 (NuCLR).</summary>
    public double MinKeepFraction { get; init; } = 0.5;

    /// <summary>Largest fraction of units kept in a view, in [<see cref="MinKeepFraction"/>, 1]; default 1.</summary>
    public double MaxKeepFraction { get; init; } = 1.0;

    /// <summary>
    /// Null (the default) to draw windows anywhere in the domain; an interval kind (e.g. "trial") to build views from
    /// consecutive intervals of that kind (see the remarks).
    /// </summary>
    public string? IntervalKind { get; init; }

    /// <summary>
    /// Null (the default) to give every view all of its recording's units; a number to draw, per sample, a uniform subset
    /// of at most this many units shared by all its views (before their unit dropout). Bounds the cost of a step on
    /// recordings of hundreds or thousands of units: attention across units grows with the square of their number.
    /// Embedding always uses every unit.
    /// </summary>
    public int? MaxUnitsPerSample { get; init; }

    /// <summary>Samples (recordings, drawn uniformly with replacement) per batch; default 8.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Seed of the sampler's own generator, used when no generator is passed; default 0.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Whole-domain mode: bins per patch, (WindowSeconds / PatchCount) / BinSeconds (validated to be a whole number).
    /// </summary>
    public int DomainBinsPerPatch => (int)Math.Round(WindowSeconds / PatchCount / BinSeconds);

    /// <summary>
    /// Bins per patch these options cut from <paramref name="recording"/>: <see cref="DomainBinsPerPatch"/> in
    /// whole-domain mode; in interval mode the bins of the recording's intervals of <see cref="IntervalKind"/> (the
    /// encoder's BinsPerPatch must equal it).
    /// </summary>
    /// <exception cref="ArgumentException">The recording cannot hold one view; the message names the session.</exception>
    public int BinsPerPatchIn(Recording recording) => new NuclrBatchSampler(new[] { recording }, this).BinsPerPatch;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad option.</summary>
    public void Validate()
    {
        CheckPositive(WindowSeconds, nameof(WindowSeconds));
        if (PatchCount < 1) throw new ArgumentOutOfRangeException(nameof(PatchCount), PatchCount, "PatchCount must be at least 1");
        CheckPositive(BinSeconds, nameof(BinSeconds));
        if (Views < 2) throw new ArgumentOutOfRangeException(nameof(Views), Views, "Views must be at least 2: positives are the same unit in two views");
        if (!(MaxOffsetSeconds >= 0) || !double.IsFinite(MaxOffsetSeconds))
            throw new ArgumentOutOfRangeException(nameof(MaxOffsetSeconds), MaxOffsetSeconds, "MaxOffsetSeconds must be a finite, non-negative number of seconds");
        if (MaxOffsetIntervals < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxOffsetIntervals), MaxOffsetIntervals, "MaxOffsetIntervals must not be negative");
        if (!(MinKeepFraction >= 0 && MinKeepFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(MinKeepFraction), MinKeepFraction, "MinKeepFraction must be a fraction in [0, 1]");
        if (!(MaxKeepFraction >= MinKeepFraction && MaxKeepFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(MaxKeepFraction), MaxKeepFraction, $"MaxKeepFraction must lie in [MinKeepFraction, 1] = [{MinKeepFraction}, 1]");
        if (IntervalKind is not null && string.IsNullOrWhiteSpace(IntervalKind))
            throw new ArgumentOutOfRangeException(nameof(IntervalKind), IntervalKind, "IntervalKind must be null (whole domain) or a non-empty kind such as \"trial\"");
        if (MaxUnitsPerSample is < 2)
            throw new ArgumentOutOfRangeException(nameof(MaxUnitsPerSample), MaxUnitsPerSample, "MaxUnitsPerSample must be null or at least 2 (a unit needs others as negatives)");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1");
        if (IntervalKind is null)
        {
            // The patch must hold a whole number of bins, or bins would straddle patch edges.
            double bins = WindowSeconds / PatchCount / BinSeconds;
            if (Math.Abs(bins - Math.Round(bins)) > 1e-6 * Math.Max(1, bins) || Math.Round(bins) < 1)
                throw new ArgumentOutOfRangeException(nameof(BinSeconds), BinSeconds,
                    $"BinSeconds must divide a patch (WindowSeconds / PatchCount = {WindowSeconds / PatchCount} s) into a whole number of bins (got {bins})");
        }
    }

    private static void CheckPositive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number of seconds > 0");
    }
}
