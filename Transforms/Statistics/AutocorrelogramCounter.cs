namespace MLNeuro.Transforms;

/// <summary>
/// Counts the spike pairs of one unit by lag into every ACG-derived histogram in a single sliding-window pass: for each
/// spike, the later spikes within the largest lag. Cost O(n·k) with k the mean number of spikes within that lag
/// (rate × lag), never O(n²). Only positive lags are counted (ACGs are symmetric); equal timestamps count at lag 0.
/// Counts are added to the scratch, so calling it once per interval counts the pairs within each interval only.
/// </summary>
internal static class AutocorrelogramCounter
{
    public static void Count(ReadOnlySpan<double> t, NeuronFeatureLayout layout, FeatureScratch s)
    {
        var o = layout.Options;
        double maxLag = layout.MaxLag;
        double narrowMax = o.NarrowAcgMaxLagSeconds, invNarrow = layout.NarrowBins / narrowMax;
        double wideMax = o.WideAcgMaxLagSeconds, invWide = layout.WideBins / wideMax;
        double refrMax = o.RefractoryMaxSeconds, invRefr = layout.RefractoryBins / refrMax, refrRefEnd = o.RefractoryReferenceEndSeconds;
        double burstIsi = o.BurstIsiSeconds, burstRefStart = o.BurstReferenceStartSeconds, burstRefEnd = o.BurstReferenceEndSeconds;
        int narrowLast = layout.NarrowBins - 1, wideLast = layout.WideBins - 1, refrLast = layout.RefractoryBins - 1;
        ReadOnlySpan<double> logEdges = layout.LogAcgEdges;
        int logBins = logEdges.Length - 1;
        long[] narrow = s.Narrow, wide = s.Wide, logAcg = s.LogAcg, refr = s.Refractory;
        long burstNear = 0, burstRef = 0, refrRef = 0;

        for (int i = 0; i < t.Length - 1; i++)
        {
            double ti = t[i];
            int logBin = 0; // lags grow with j, so the log bin only moves forward: no log() or search per pair
            for (int j = i + 1; j < t.Length; j++)
            {
                double lag = t[j] - ti;
                if (lag >= maxLag) break;
                if (lag < wideMax) wide[Math.Min((int)(lag * invWide), wideLast)]++;
                if (lag < narrowMax) narrow[Math.Min((int)(lag * invNarrow), narrowLast)]++;
                if (lag < refrMax) refr[Math.Min((int)(lag * invRefr), refrLast)]++;
                else if (lag < refrRefEnd) refrRef++;
                if (lag < burstIsi) burstNear++;
                else if (lag >= burstRefStart && lag < burstRefEnd) burstRef++;
                if (lag >= logEdges[0])
                {
                    while (logBin < logBins && lag >= logEdges[logBin + 1]) logBin++;
                    if (logBin < logBins) logAcg[logBin]++;
                }
            }
        }
        s.BurstNear += burstNear;
        s.BurstReference += burstRef;
        s.RefractoryReference += refrRef;
    }
}
