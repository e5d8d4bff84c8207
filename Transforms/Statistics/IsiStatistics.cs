namespace MLNeuro.Transforms;

/// <summary>
/// Interspike-interval features of one unit in one pass: CV, CV2 (Holt et al. 1996), LV (Shinomoto et al. 2003), the
/// burst fraction and the log-binned ISI histogram. Each statistic whose denominator is empty (fewer than 2 or 3 spikes,
/// or all ISIs zero) is 0, and the histogram stays all zero without ISIs.
/// </summary>
/// <remarks>
/// The sums are accumulated run by run (<see cref="Add"/>): a run is a stretch of continuous observation (the whole
/// domain, or one interval), ISIs are taken between consecutive spikes of one run and CV2 / LV pair consecutive ISIs of
/// one run only. One run is exactly the whole-domain computation.
/// </remarks>
internal struct IsiStatistics
{
    private double _sum, _sumSq, _cv2Sum, _lvSum;
    private long _burst;
    private int _isiCount, _pairs;

    /// <summary>Features of one continuous run of spikes (the whole-domain case).</summary>
    public static void Compute(ReadOnlySpan<double> t, NeuronFeatureLayout layout, FeatureScratch s, Span<float> dest)
    {
        var statistics = new IsiStatistics();
        statistics.Add(t, layout, s);
        statistics.Write(layout, s, dest);
    }

    /// <summary>Adds the ISIs of one run of spikes (ascending) to the sums and to <c>s.IsiHistogram</c>.</summary>
    public void Add(ReadOnlySpan<double> t, NeuronFeatureLayout layout, FeatureScratch s)
    {
        int isiCount = t.Length - 1;
        double sum = _sum, sumSq = _sumSq, cv2Sum = _cv2Sum, lvSum = _lvSum, previous = 0;
        long burst = _burst;
        int pairs = _pairs;
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
        _sum = sum; _sumSq = sumSq; _cv2Sum = cv2Sum; _lvSum = lvSum; _burst = burst; _pairs = pairs;
        if (isiCount > 0) _isiCount += isiCount;
    }

    /// <summary>Writes CV, CV2, LV, the burst index and the normalised histogram.</summary>
    public readonly void Write(NeuronFeatureLayout layout, FeatureScratch s, Span<float> dest)
    {
        int isiCount = _isiCount, pairs = _pairs;
        double sum = _sum;
        double cv = 0;
        if (isiCount >= 1 && sum > 0)
        {
            double mean = sum / isiCount;
            cv = Math.Sqrt(Math.Max(0, _sumSq / isiCount - mean * mean)) / mean;
        }
        dest[NeuronFeatureLayout.IsiCv] = (float)cv;
        dest[NeuronFeatureLayout.IsiCv2] = pairs > 0 ? (float)(_cv2Sum / pairs) : 0f;
        dest[NeuronFeatureLayout.Lv] = pairs > 0 ? (float)(3 * _lvSum / pairs) : 0f;
        dest[NeuronFeatureLayout.BurstIndex] = isiCount > 0 ? (float)((double)_burst / isiCount) : 0f;
        long[] histogram = s.IsiHistogram;
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
