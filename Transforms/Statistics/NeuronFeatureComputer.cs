namespace MLNeuro.Transforms;

/// <summary>
/// One unit's feature vector from validated inputs: the hot path shared by <see cref="NeuronFeatures.Compute(ReadOnlySpan{double}, double, double, NeuronFeatureOptions, Span{float})"/>,
/// <see cref="NeuronFeatures.ComputeInIntervals"/> and the batch. Writes every slot of <c>dest</c> and applies the fill rule.
/// </summary>
internal static class NeuronFeatureComputer
{
    public static void Compute(ReadOnlySpan<double> t, double start, double end, NeuronFeatureLayout layout, FeatureScratch s, Span<float> dest)
    {
        var o = layout.Options;
        dest = dest[..layout.Length];
        s.Clear();
        int n = t.Length;
        double duration = end - start;
        double rate = duration > 0 ? n / duration : 0;
        dest[NeuronFeatureLayout.Rate] = (float)rate;
        dest[NeuronFeatureLayout.LogRate] = (float)Math.Log10(Math.Max(rate, o.RateFloorHz));
        dest[NeuronFeatureLayout.FewSpikes] = n < o.FewSpikesThreshold ? 1f : 0f;

        IsiStatistics.Compute(t, layout, s, dest);

        var moments = BinnedCountMoments.Compute(t, start, o.MomentBinSeconds, BinnedCountMoments.WholeBins(start, end, o.MomentBinSeconds));
        dest[NeuronFeatureLayout.Skewness] = (float)moments.Skewness;
        dest[NeuronFeatureLayout.Kurtosis] = (float)moments.ExcessKurtosis;
        for (int i = 0; i < layout.FanoWindows.Length; i++)
        {
            double w = layout.FanoWindows[i];
            dest[NeuronFeatureLayout.Fano + i] = (float)BinnedCountMoments.Compute(t, start, w, BinnedCountMoments.WholeBins(start, end, w)).Fano;
        }

        if (n >= 2) AutocorrelogramCounter.Count(t, layout, s);
        WriteAcgs(layout, s, n, rate, dest);

        // Last line of the fill rule: whatever the input, nothing non-finite leaves (e.g. float overflow of a kurtosis).
        for (int i = 0; i < dest.Length; i++)
            if (!float.IsFinite(dest[i])) dest[i] = 0f;
    }

    /// <summary>
    /// The same vector restricted to <paramref name="intervals"/> (see <see cref="NeuronFeatureOptions.IntervalKind"/>):
    /// <paramref name="t"/> may hold spikes anywhere; only those inside a piece count, and nothing pairs or bins across
    /// two pieces.
    /// </summary>
    public static void ComputeInIntervals(ReadOnlySpan<double> t, FeatureIntervals intervals, NeuronFeatureLayout layout, FeatureScratch s, Span<float> dest)
    {
        var o = layout.Options;
        dest = dest[..layout.Length];
        s.Clear();
        int pieces = intervals.Count;
        double[] starts = intervals.Starts, ends = intervals.Ends;

        // Spikes of each piece: pieces are sorted and disjoint, so each search starts where the last one ended.
        int[] range = s.IntervalSpikesFor(pieces);
        int n = 0, from = 0;
        for (int k = 0; k < pieces; k++)
        {
            int lo = LowerBound(t, from, starts[k]);
            int hi = LowerBound(t, lo, ends[k]);
            range[2 * k] = lo;
            range[2 * k + 1] = hi;
            n += hi - lo;
            from = hi;
        }

        double rate = n / intervals.TotalSeconds;
        dest[NeuronFeatureLayout.Rate] = (float)rate;
        dest[NeuronFeatureLayout.LogRate] = (float)Math.Log10(Math.Max(rate, o.RateFloorHz));
        dest[NeuronFeatureLayout.FewSpikes] = n < o.FewSpikesThreshold ? 1f : 0f;

        var isi = new IsiStatistics();
        for (int k = 0; k < pieces; k++) isi.Add(t[range[2 * k]..range[2 * k + 1]], layout, s);
        isi.Write(layout, s, dest);

        var moments = PooledMoments(t, intervals, range, 0, o.MomentBinSeconds);
        dest[NeuronFeatureLayout.Skewness] = (float)moments.Skewness;
        dest[NeuronFeatureLayout.Kurtosis] = (float)moments.ExcessKurtosis;
        for (int i = 0; i < layout.FanoWindows.Length; i++)
            dest[NeuronFeatureLayout.Fano + i] = (float)PooledMoments(t, intervals, range, 1 + i, layout.FanoWindows[i]).Fano;

        for (int k = 0; k < pieces; k++)
            if (range[2 * k + 1] - range[2 * k] >= 2) AutocorrelogramCounter.Count(t[range[2 * k]..range[2 * k + 1]], layout, s);
        WriteAcgsInIntervals(layout, intervals, s, rate, dest);

        for (int i = 0; i < dest.Length; i++)
            if (!float.IsFinite(dest[i])) dest[i] = 0f;
    }

    /// <summary>Moments of the counts in the whole bins of every piece, each piece tiled from its own start.</summary>
    private static BinnedCountMoments PooledMoments(ReadOnlySpan<double> t, FeatureIntervals intervals, int[] range, int width, double binSeconds)
    {
        var sums = new BinnedCountMoments.Sums();
        long[] bins = intervals.Bins[width];
        for (int k = 0; k < intervals.Count; k++)
            sums.Add(t[range[2 * k]..range[2 * k + 1]], intervals.Starts[k], binSeconds, bins[k]);
        return sums.ToMoments();
    }

    /// <summary>First index at or after <paramref name="from"/> whose time is not below <paramref name="time"/>.</summary>
    private static int LowerBound(ReadOnlySpan<double> t, int from, double time)
    {
        int lo = from, hi = t.Length;
        while (lo < hi)
        {
            int mid = lo + ((hi - lo) >> 1);
            if (t[mid] < time) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>
    /// Interval ACGs: pairs in a bin over the pairs a Poisson train of the same rate gives inside the same pieces,
    /// rate² × exposure (edge-corrected: near the piece length few pairs are possible, and those few are compared with
    /// what was possible). Bins no pair can reach (lag beyond the longest piece) are 0.
    /// </summary>
    private static void WriteAcgsInIntervals(NeuronFeatureLayout layout, FeatureIntervals intervals, FeatureScratch s, double rate, Span<float> dest)
    {
        var o = layout.Options;
        double rate2 = rate * rate;
        NormaliseByExposure(s.Narrow, intervals.NarrowExposure, rate2, dest.Slice(layout.NarrowAcg, layout.NarrowBins));
        NormaliseByExposure(s.Wide, intervals.WideExposure, rate2, dest.Slice(layout.WideAcg, layout.WideBins));
        NormaliseByExposure(s.LogAcg, intervals.LogAcgExposure, rate2, dest.Slice(layout.LogAcg, s.LogAcg.Length));

        // Burst contrast of the exposure-corrected pair densities; 0 when either lag range is unobservable.
        double nearExposure = intervals.BurstNearExposure, referenceExposure = intervals.BurstReferenceExposure;
        double a = nearExposure > 0 ? s.BurstNear / nearExposure : 0;
        double b = referenceExposure > 0 ? s.BurstReference / referenceExposure : 0;
        dest[NeuronFeatureLayout.BurstAcgIndex] = nearExposure > 0 && referenceExposure > 0 && a + b > 0 ? (float)((a - b) / (a + b)) : 0f;

        dest[NeuronFeatureLayout.RefractoryMs] = (float)(RefractorySecondsInIntervals(s, intervals, o) * 1000);
    }

    /// <summary>
    /// <see cref="RefractorySeconds"/> with exposure-corrected densities: fine bin k ends the refractory period when its
    /// count reaches RefractoryFraction × reference pairs × exposure(k) / exposure(reference). 0 when the reference lag
    /// range is unobservable (pieces shorter than RefractoryMaxSeconds) or there are no pairs.
    /// </summary>
    private static double RefractorySecondsInIntervals(FeatureScratch s, FeatureIntervals intervals, NeuronFeatureOptions o)
    {
        long[] fine = s.Refractory;
        long total = s.RefractoryReference;
        foreach (var c in fine) total += c;
        double referenceExposure = intervals.RefractoryReferenceExposure;
        if (total == 0 || !(referenceExposure > 0)) return 0;
        double perExposure = o.RefractoryFraction * s.RefractoryReference / referenceExposure;
        for (int k = 0; k < fine.Length; k++)
            if (fine[k] > 0 && fine[k] >= perExposure * intervals.RefractoryExposure[k]) return k * o.RefractoryBinSeconds;
        return o.RefractoryMaxSeconds;
    }

    private static void NormaliseByExposure(long[] counts, double[] exposure, double rate2, Span<float> target)
    {
        for (int k = 0; k < counts.Length; k++)
        {
            double expected = rate2 * exposure[k];
            target[k] = expected > 0 ? (float)(counts[k] / expected) : 0f;
        }
    }

    private static void WriteAcgs(NeuronFeatureLayout layout, FeatureScratch s, int n, double rate, Span<float> dest)
    {
        var o = layout.Options;
        // Rate normalisation: pairs per bin divided by what a Poisson train of the same rate gives (n · rate · width),
        // i.e. the conditional rate after a spike over the mean rate; 1 means "no structure", comparable across units.
        double perSecondOfLag = n > 0 && rate > 0 ? 1.0 / (n * rate) : 0;
        Normalise(s.Narrow, perSecondOfLag / o.NarrowAcgBinSeconds, dest.Slice(layout.NarrowAcg, layout.NarrowBins));
        Normalise(s.Wide, perSecondOfLag / o.WideAcgBinSeconds, dest.Slice(layout.WideAcg, layout.WideBins));
        var logEdges = layout.LogAcgEdges;
        for (int k = 0; k < s.LogAcg.Length; k++)
            dest[layout.LogAcg + k] = (float)(s.LogAcg[k] * perSecondOfLag / (logEdges[k + 1] - logEdges[k]));

        // Burst contrast (a - b) / (a + b) of the pair densities at short lags and at the reference range: a monotone,
        // bounded form of the ACG ratio, 0 when both are empty.
        double a = s.BurstNear / o.BurstIsiSeconds;
        double b = s.BurstReference / (o.BurstReferenceEndSeconds - o.BurstReferenceStartSeconds);
        dest[NeuronFeatureLayout.BurstAcgIndex] = a + b > 0 ? (float)((a - b) / (a + b)) : 0f;

        dest[NeuronFeatureLayout.RefractoryMs] = (float)(RefractorySeconds(s, o) * 1000);
    }

    /// <summary>
    /// Lower edge of the first fine ACG bin whose (non-zero) count reaches RefractoryFraction of the pair density over
    /// [RefractoryMax, RefractoryReferenceEnd); RefractoryMax when none does; 0 when there are no pairs at all below
    /// RefractoryReferenceEnd (nothing to estimate from).
    /// </summary>
    private static double RefractorySeconds(FeatureScratch s, NeuronFeatureOptions o)
    {
        long[] fine = s.Refractory;
        long total = s.RefractoryReference;
        foreach (var c in fine) total += c;
        if (total == 0) return 0;
        double referencePerBin = s.RefractoryReference / (o.RefractoryReferenceEndSeconds - o.RefractoryMaxSeconds) * o.RefractoryBinSeconds;
        double threshold = o.RefractoryFraction * referencePerBin;
        for (int k = 0; k < fine.Length; k++)
            if (fine[k] > 0 && fine[k] >= threshold) return k * o.RefractoryBinSeconds;
        return o.RefractoryMaxSeconds;
    }

    private static void Normalise(long[] counts, double scale, Span<float> target)
    {
        for (int k = 0; k < counts.Length; k++) target[k] = (float)(counts[k] * scale);
    }
}
