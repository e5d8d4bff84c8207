using MLNeuro.Loaders;

namespace MLNeuro.Transforms;

/// <summary>
/// The observation time of interval-restricted features (<see cref="NeuronFeatureOptions.IntervalKind"/>): the intervals
/// merged into sorted, disjoint pieces of positive length, and everything that depends on them alone, computed once per
/// session and shared by every unit and thread: the total length, the whole count bins of each piece for each bin
/// width, and the Poisson pair exposure of each autocorrelogram bin. Immutable.
/// </summary>
/// <remarks>
/// Exposure of a lag range [a, b): Σ over pieces of ∫ₐᵇ max(0, L − τ) dτ (seconds²), with L the piece's length. A
/// Poisson train of rate r observed only inside the pieces yields r² × exposure pairs (later spike of the pair in the
/// same piece) with lags in [a, b). For one long piece of length T it is about T × (b − a), the whole-domain
/// normaliser; for 0.4 s trials it falls to 0 at lag 0.4 s, which is the edge effect the interval ACGs divide out.
/// </remarks>
internal sealed class FeatureIntervals
{
    private FeatureIntervals(double[] starts, double[] ends, NeuronFeatureLayout layout)
    {
        Starts = starts;
        Ends = ends;
        var lengths = new double[starts.Length];
        double total = 0;
        for (int k = 0; k < lengths.Length; k++)
        {
            lengths[k] = ends[k] - starts[k];
            total += lengths[k];
        }
        TotalSeconds = total;

        var o = layout.Options;
        var widths = new double[1 + layout.FanoWindows.Length];
        widths[0] = o.MomentBinSeconds;
        layout.FanoWindows.CopyTo(widths, 1);
        Bins = new long[widths.Length][];
        for (int w = 0; w < widths.Length; w++)
        {
            Bins[w] = new long[lengths.Length];
            for (int k = 0; k < lengths.Length; k++) Bins[w][k] = BinnedCountMoments.IntervalBins(lengths[k], widths[w]);
        }

        NarrowExposure = LinearExposure(lengths, layout.NarrowBins, o.NarrowAcgMaxLagSeconds);
        WideExposure = LinearExposure(lengths, layout.WideBins, o.WideAcgMaxLagSeconds);
        RefractoryExposure = LinearExposure(lengths, layout.RefractoryBins, o.RefractoryMaxSeconds);
        var logEdges = layout.LogAcgEdges;
        LogAcgExposure = new double[logEdges.Length - 1];
        for (int k = 0; k < LogAcgExposure.Length; k++) LogAcgExposure[k] = Exposure(lengths, logEdges[k], logEdges[k + 1]);
        BurstNearExposure = Exposure(lengths, 0, o.BurstIsiSeconds);
        BurstReferenceExposure = Exposure(lengths, o.BurstReferenceStartSeconds, o.BurstReferenceEndSeconds);
        RefractoryReferenceExposure = Exposure(lengths, o.RefractoryMaxSeconds, o.RefractoryReferenceEndSeconds);
    }

    /// <summary>Piece starts, ascending.</summary>
    public double[] Starts { get; }

    /// <summary>Piece ends (exclusive); each before the next piece's start.</summary>
    public double[] Ends { get; }

    public int Count => Starts.Length;

    /// <summary>Total observation time, seconds (positive).</summary>
    public double TotalSeconds { get; }

    /// <summary>Whole bins of each piece: <c>Bins[0]</c> for the moment bin width, <c>Bins[1 + i]</c> for Fano window i.</summary>
    public long[][] Bins { get; }

    /// <summary>Exposure (seconds²) of each narrow, wide, log and fine refractory ACG bin.</summary>
    public double[] NarrowExposure { get; }
    public double[] WideExposure { get; }
    public double[] LogAcgExposure { get; }
    public double[] RefractoryExposure { get; }

    /// <summary>Exposure of the lag ranges behind burst_acg_index and the refractory asymptote.</summary>
    public double BurstNearExposure { get; }
    public double BurstReferenceExposure { get; }
    public double RefractoryReferenceExposure { get; }

    /// <summary>
    /// Merges intervals given as parallel start / end spans (any order, overlaps allowed; touching intervals join,
    /// empty ones are dropped). Null when no time remains. Throws <see cref="ArgumentException"/> naming the argument for
    /// unequal lengths, bounds that are not finite, or an end before its start.
    /// </summary>
    public static FeatureIntervals? TryCreate(ReadOnlySpan<double> starts, ReadOnlySpan<double> ends, NeuronFeatureLayout layout,
        string startsName = "intervalStarts", string endsName = "intervalEnds")
    {
        if (starts.Length != ends.Length)
            throw new ArgumentException($"{starts.Length} interval starts but {ends.Length} interval ends", endsName);
        var s = starts.ToArray();
        var e = ends.ToArray();
        for (int k = 0; k < s.Length; k++)
        {
            if (!double.IsFinite(s[k])) throw new ArgumentException($"interval {k} starts at {s[k]}, not a finite time", startsName);
            if (!double.IsFinite(e[k]) || e[k] < s[k])
                throw new ArgumentException($"interval {k} ends at {e[k]} s, which is not a finite time at or after its start ({s[k]} s)", endsName);
        }
        Array.Sort(s, e); // by start; the ends travel with their starts
        int pieces = 0;
        for (int k = 0; k < s.Length; k++)
        {
            if (!(e[k] > s[k])) continue; // empty: no observation time
            if (pieces > 0 && s[k] <= e[pieces - 1])
            {
                e[pieces - 1] = Math.Max(e[pieces - 1], e[k]); // overlapping or touching: one continuous piece
                continue;
            }
            s[pieces] = s[k];
            e[pieces] = e[k];
            pieces++;
        }
        return pieces == 0 ? null : new FeatureIntervals(s[..pieces], e[..pieces], layout);
    }

    /// <summary>
    /// The pieces of a session's intervals of one kind; throws <see cref="ArgumentException"/> naming the session and the
    /// kind when it has none, or when they have no length in total.
    /// </summary>
    public static FeatureIntervals ForSession(string sessionId, IntervalSet intervals, string kind, NeuronFeatureLayout layout)
    {
        var ofKind = intervals.OfKind(kind);
        if (ofKind.Count == 0)
        {
            var kinds = intervals.Kinds;
            throw new ArgumentException($"session '{sessionId}' has no intervals of kind '{kind}' " +
                $"(its interval kinds: {(kinds.Count == 0 ? "none" : string.Join(", ", kinds))}); features restricted to intervals need at least one");
        }
        var starts = new double[ofKind.Count];
        var ends = new double[ofKind.Count];
        for (int k = 0; k < ofKind.Count; k++)
        {
            starts[k] = ofKind[k].Start;
            ends[k] = ofKind[k].End;
        }
        return TryCreate(starts, ends, layout) ?? throw new ArgumentException(
            $"session '{sessionId}': its {ofKind.Count} intervals of kind '{kind}' have zero total length, so there is no observation time to compute features over");
    }

    /// <summary>Exposure of <paramref name="bins"/> equal bins tiling lags [0, <paramref name="maxLag"/>), as the pair counter bins them.</summary>
    private static double[] LinearExposure(double[] lengths, int bins, double maxLag)
    {
        var exposure = new double[bins];
        for (int k = 0; k < bins; k++) exposure[k] = Exposure(lengths, maxLag * k / bins, maxLag * (k + 1) / bins);
        return exposure;
    }

    /// <summary>Σ over pieces of ∫ₐᵇ max(0, L − τ) dτ, in a form without cancellation for long pieces.</summary>
    private static double Exposure(double[] lengths, double a, double b)
    {
        double total = 0;
        foreach (var length in lengths)
        {
            if (length <= a) continue;
            total += b <= length ? (b - a) * (length - 0.5 * (a + b)) : 0.5 * (length - a) * (length - a);
        }
        return total;
    }
}
