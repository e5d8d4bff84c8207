using MLNeuro.Loaders;
using MLNeuro.Transforms;

namespace MLNeuro.Estimators;

/// <summary>
/// Lagged binned spike counts, the input of the Wiener-filter and MLP decoders. Bins lie on one grid per recording,
/// anchored at <see cref="Recording.StartSeconds"/>: bin k covers [start + k·w, start + (k+1)·w). For a prediction time
/// t the features are, for every unit, the counts of the <c>lags</c> bins ending with the bin that contains t (causal
/// history including the current bin, so up to one bin width after t is seen), flattened unit-major:
/// feature <c>u * lags + l</c> is unit u's count in bin k(t) - (lags - 1) + l (l = lags - 1 is the current bin).
/// Bins may reach before the interval's start (those spikes are real data) but never before the recording's start:
/// bins there count as zero. Counts are square-rooted (variance-stabilising for Poisson-like counts).
/// </summary>
internal static class LaggedCountFeatures
{
    /// <summary>
    /// Features of every time in <paramref name="times"/> (ascending, inside the recording), row-major
    /// [times, units * lags]. The span of bins the times need is binned once (<see cref="SpikeBinning.CountInto"/>),
    /// then each row gathers its lags from it.
    /// </summary>
    public static float[] Compute(Recording recording, ReadOnlySpan<double> times, double binSeconds, int lags, int leads = 0)
    {
        ArgumentNullException.ThrowIfNull(recording);
        int units = recording.Units.Count;
        int width = units * lags;
        var features = new float[(long)times.Length * width];
        if (times.Length == 0) return features;
        if (times[0] < recording.StartSeconds)
            throw new ArgumentOutOfRangeException(nameof(times), times[0],
                $"session '{recording.SessionId}': prediction time before the recording's start ({recording.StartSeconds} s)");

        // One bin of margin before the first window so that rounding of a time on a bin edge cannot pull a lag outside.
        long firstBin = (long)Math.Floor((times[0] - recording.StartSeconds) / binSeconds) - (lags - 1) - 1;
        long origin = Math.Max(firstBin, 0);
        double windowStart = recording.StartSeconds + origin * binSeconds;
        // Leads extend the binned span past the last time; bins past the recording's end hold no spikes (zeros).
        int binCount = checked((int)((times[^1] - windowStart) / binSeconds) + 1 + leads);
        var counts = new float[(long)units * binCount];
        SpikeBinning.CountInto(recording.Spikes, windowStart, binSeconds, binCount, counts);
        for (int i = 0; i < counts.Length; i++) counts[i] = MathF.Sqrt(counts[i]);

        for (int i = 0; i < times.Length; i++)
        {
            // Same arithmetic as the binning (relative to the window start), so a sample and a spike at one time share a bin.
            int current = Math.Clamp((int)((times[i] - windowStart) / binSeconds) + leads, 0, binCount - 1);
            int oldest = current - (lags - 1);
            var row = features.AsSpan((int)((long)i * width), width);
            // Lags before the window's first bin fall before the recording's start (origin 0): they stay zero.
            int skip = Math.Max(0, -oldest);
            for (int u = 0; u < units; u++)
                counts.AsSpan(u * binCount + oldest + skip, lags - skip).CopyTo(row.Slice(u * lags + skip, lags - skip));
        }
        return features;
    }
}
