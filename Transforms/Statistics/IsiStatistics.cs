namespace MLNeuro.Transforms;

/// <summary>
/// Interspike-interval features of one unit in one pass: CV, CV2 (Holt et al. 1996), LV (Shinomoto et al. 2003), the
/// burst fraction and the log-binned ISI histogram. Each statistic whose denominator is empty (fewer than 2 or 3 spikes,
/// or all ISIs zero) is 0, and the histogram stays all zero without ISIs.
/// </summary>
internal static class IsiStatistics
{
    public static void Compute(ReadOnlySpan<double> t, NeuronFeatureLayout layout, FeatureScratch s, Span<float> dest)
    {
        int isiCount = t.Length - 1;
        double sum = 0, sumSq = 0, cv2Sum = 0, lvSum = 0, previous = 0;
        long burst = 0;
        int pairs = 0;
        double burstIsi = layout.Options.BurstIsiSeconds;
        ReadOnlySpan<double> edges = layout.IsiEdges;
        long[] histogram = s.IsiHistogram;
        int last = histogram.Length - 1;
        for (int i = 0; i < isiCount; i++)
        {
            double isi = t[i + 1] - t[i];
            sum += isi;
            sumSq += isi * isi;
            if (isi < burstIsi) burst++;
            histogram[HistogramBin(edges, isi, last)]++;
            if (i > 0)
            {
                double total = previous + isi;
                if (total > 0)
                {
                    double d = (isi - previous) / total;
                    cv2Sum += 2 * Math.Abs(d);
                    lvSum += d * d;
                }
                pairs++;
            }
            previous = isi;
        }
        double cv = 0;
        if (isiCount >= 1 && sum > 0)
        {
            double mean = sum / isiCount;
            cv = Math.Sqrt(Math.Max(0, sumSq / isiCount - mean * mean)) / mean;
        }
        dest[NeuronFeatureLayout.IsiCv] = (float)cv;
        dest[NeuronFeatureLayout.IsiCv2] = pairs > 0 ? (float)(cv2Sum / pairs) : 0f;
        dest[NeuronFeatureLayout.Lv] = pairs > 0 ? (float)(3 * lvSum / pairs) : 0f;
        dest[NeuronFeatureLayout.BurstIndex] = isiCount > 0 ? (float)((double)burst / isiCount) : 0f;
        var target = dest.Slice(layout.IsiHistogram, histogram.Length);
        double scale = isiCount > 0 ? 1.0 / isiCount : 0;
        for (int k = 0; k < histogram.Length; k++) target[k] = (float)(histogram[k] * scale);
    }

    /// <summary>Bin k holds ISIs in [edges[k], edges[k+1]); shorter ISIs go to the first bin and longer ones to the last.</summary>
    private static int HistogramBin(ReadOnlySpan<double> edges, double isi, int last)
    {
        int lo = 0, hi = last; // find the last k in [0, last] with edges[k] <= isi
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >> 1;
            if (edges[mid] <= isi) lo = mid; else hi = mid - 1;
        }
        return lo;
    }
}
