namespace MLNeuro.Transforms;

/// <summary>
/// Mean and central moments of a unit's spike counts in consecutive bins of [start, start + bins·w), computed in one pass
/// over the sorted spike times without materialising the bins (empty bins contribute zeros). Only whole bins count.
/// </summary>
internal readonly struct BinnedCountMoments
{
    public readonly double Mean, M2, M3, M4;
    public readonly long Bins;

    private BinnedCountMoments(long bins, double mean, double m2, double m3, double m4)
    {
        Bins = bins; Mean = mean; M2 = m2; M3 = m3; M4 = m4;
    }

    /// <summary>Whole bins of width <paramref name="binSeconds"/> in [start, end); 0 when the window is shorter than a bin.</summary>
    public static long WholeBins(double start, double end, double binSeconds)
    {
        double n = Math.Floor((end - start) / binSeconds * (1 + 1e-12)); // tolerate 600 / 0.02 landing a hair below 30000
        return n >= 1 ? (long)Math.Min(n, long.MaxValue / 2) : 0;
    }

    /// <summary>
    /// Whole bins of width <paramref name="binSeconds"/> in an interval of <paramref name="lengthSeconds"/>, tiled from
    /// its start; the partial last bin is dropped. An interval within a millionth of a bin of a whole number of bins counts
    /// that bin as whole: interval bounds are differences of large session times (a 0.4 s trial at 3000 s comes out a few
    /// 1e-13 s short), and the sliver cannot hold a spike of the interval anyway.
    /// </summary>
    public static long IntervalBins(double lengthSeconds, double binSeconds)
    {
        double n = Math.Floor(lengthSeconds / binSeconds + 1e-6);
        return n >= 1 ? (long)Math.Min(n, long.MaxValue / 2) : 0;
    }

    public static BinnedCountMoments Compute(ReadOnlySpan<double> sortedTimes, double start, double binSeconds, long bins)
    {
        if (bins <= 0) return default;
        var sums = new Sums();
        sums.Add(sortedTimes, start, binSeconds, bins);
        return sums.ToMoments();
    }

    /// <summary>
    /// Raw count sums over bins of several stretches of time (e.g. one per interval, each tiled from its own start), so
    /// the moments pool the bins of all stretches. One stretch is exactly <see cref="Compute"/>.
    /// </summary>
    public struct Sums
    {
        private double _s1, _s2, _s3, _s4;
        private long _bins;

        /// <summary>Adds the counts of <paramref name="bins"/> whole bins from <paramref name="start"/>; spikes outside them are ignored.</summary>
        public void Add(ReadOnlySpan<double> sortedTimes, double start, double binSeconds, long bins)
        {
            if (bins <= 0) return;
            double s1 = _s1, s2 = _s2, s3 = _s3, s4 = _s4;
            long current = -1;
            double c = 0;
            for (int i = 0; i < sortedTimes.Length; i++)
            {
                // Division, as SpikeBinning does: a spike on a bin edge lands in the later bin.
                double position = (sortedTimes[i] - start) / binSeconds;
                if (position < 0) continue;
                if (position >= bins) break; // sorted: the rest are later still
                long bin = (long)position;
                if (bin != current)
                {
                    Accumulate(c, ref s1, ref s2, ref s3, ref s4);
                    current = bin;
                    c = 0;
                }
                c++;
            }
            Accumulate(c, ref s1, ref s2, ref s3, ref s4);
            _s1 = s1; _s2 = s2; _s3 = s3; _s4 = s4;
            _bins += bins;
        }

        /// <summary>Mean and central moments over every bin added (empty bins count as zeros); default without bins.</summary>
        public readonly BinnedCountMoments ToMoments()
        {
            if (_bins <= 0) return default;
            double n = _bins, mean = _s1 / n, e2 = _s2 / n, e3 = _s3 / n, e4 = _s4 / n, mean2 = mean * mean;
            // Raw to central moments. Counts are small integers so the sums are exact up to 2^53; clamp rounding below zero.
            double m2 = Math.Max(0, e2 - mean2);
            double m3 = e3 - 3 * mean * e2 + 2 * mean2 * mean;
            double m4 = Math.Max(0, e4 - 4 * mean * e3 + 6 * mean2 * e2 - 3 * mean2 * mean2);
            return new BinnedCountMoments(_bins, mean, m2, m3, m4);
        }
    }

    private static void Accumulate(double c, ref double s1, ref double s2, ref double s3, ref double s4)
    {
        double c2 = c * c;
        s1 += c; s2 += c2; s3 += c2 * c; s4 += c2 * c2;
    }

    /// <summary>Variance over mean; 0 (the fill value) when there are fewer than 2 bins or no spikes.</summary>
    public double Fano => Bins >= 2 && Mean > 0 ? M2 / Mean : 0;

    /// <summary>Skewness m3 / m2^1.5; 0 when the counts are constant (including all zero).</summary>
    public double Skewness => HasSpread ? M3 / Math.Pow(M2, 1.5) : 0;

    /// <summary>Excess kurtosis m4 / m2² - 3 (0 for a Gaussian); 0 when the counts are constant.</summary>
    public double ExcessKurtosis => HasSpread ? M4 / (M2 * M2) - 3 : 0;

    // A variance this far below the squared mean is rounding noise of a constant sequence, not spread.
    private bool HasSpread => Bins >= 2 && M2 > 1e-12 * Math.Max(1, Mean * Mean);
}
