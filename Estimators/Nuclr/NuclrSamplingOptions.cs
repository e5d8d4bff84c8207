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
    /// Null (the default) to give every view all of its population's units; a number to draw, per sample, a uniform
    /// subset of at most this many units shared by all its views (before their unit dropout). Bounds the cost of a step on
    /// recordings of hundreds or thousands of units: attention across units grows with the square of their number.
    /// With <see cref="EmbedWithTrainingCap"/> embedding sees populations of the same size.
    /// </summary>
    public int? MaxUnitsPerSample { get; init; }

    /// <summary>
    /// True (the default, the reference's population): when <see cref="MaxUnitsPerSample"/> caps training, embedding
    /// splits each window's units at random (seeded by <see cref="Seed"/>, the session and the window) into
    /// ceil(n / cap) groups of near-equal size, at most the cap (so between half the cap and the cap, the sizes training
    /// saw after its 50-100% unit dropout), embeds each group as a population of its own, and averages
    /// <see cref="EmbeddingDraws"/> such draws. False: embedding gives every window the whole population, whatever the
    /// training cap (MLNeuro's earlier behaviour: attention trained on one population size and used on another).
    /// </summary>
    public bool EmbedWithTrainingCap { get; init; } = true;

    /// <summary>Random splits averaged per window when embedding under a cap (see <see cref="EmbedWithTrainingCap"/>); default 4.</summary>
    public int EmbeddingDraws { get; init; } = 4;

    /// <summary>
    /// A units-table column (a probe or electrode group) whose values split a recording into populations; default
    /// "population". A sample's units are one population's, and embedding puts only units of one population in one
    /// context, as the reference does with one probe per recording. Ignored when null or when no unit of a recording has
    /// a value (the recording is then one population; units without a value form a population of their own).
    /// </summary>
    public string? PopulationColumn { get; init; } = "population";

    /// <summary>
    /// True (the default): only units with at least one spike in a view's window are in it (tokens, anchors and
    /// negatives), and a unit's embedding averages only the windows in which it spikes, as the reference tokenises only
    /// active units. False: silent units are zero rows used everywhere (MLNeuro's earlier behaviour).
    /// </summary>
    public bool ActiveUnitsOnly { get; init; } = true;

    /// <summary>
    /// True (the default): a sample's population is drawn in proportion to its recording's windows, so every window of
    /// every population is equally likely, as one reference epoch visits each once. False: recordings uniformly, then a
    /// population uniformly (MLNeuro's earlier draw).
    /// </summary>
    public bool WeightSessionsByWindows { get; init; } = true;

    /// <summary>Samples (populations of recordings, drawn with replacement; see <see cref="WeightSessionsByWindows"/>) per batch; default 8.</summary>
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
        if (EmbeddingDraws < 1) throw new ArgumentOutOfRangeException(nameof(EmbeddingDraws), EmbeddingDraws, "EmbeddingDraws must be at least 1");
        if (PopulationColumn is not null && string.IsNullOrWhiteSpace(PopulationColumn))
            throw new ArgumentOutOfRangeException(nameof(PopulationColumn), PopulationColumn, "PopulationColumn must be null or a column name");
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
