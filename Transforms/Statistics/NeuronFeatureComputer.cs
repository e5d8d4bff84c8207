namespace MLNeuro.Transforms;

/// <summary>
/// One unit's feature vector from validated inputs: the hot path shared by <see cref="NeuronFeatures.Compute(ReadOnlySpan{double}, double, double, NeuronFeatureOptions, Span{float})"/>
/// and the batch. Writes every slot of <c>dest</c> and applies the fill rule.
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
