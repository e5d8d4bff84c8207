using System.Runtime.CompilerServices;

namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// Merges per-unit sorted spike times into one time-sorted train (ties by unit index, the order
/// <see cref="SpikeTrain"/> requires) in linear time: a counting sort into time buckets holding about eight spikes each,
/// then an insertion sort inside each bucket. The bucket of a time is monotone in the time, so bucket order plus in-bucket
/// order is the global order.
/// </summary>
internal static class SpikeMerger
{
    private const int SpikesPerBucket = 8;

    /// <summary>Merges <paramref name="counts"/>[u] times of each unit u from <paramref name="times"/>[u]; all times lie in [0, duration).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double[] Times, int[] Units) Merge(double[][] times, int[] counts, double duration)
    {
        long total = 0;
        foreach (var c in counts) total += c;
        if (total > Array.MaxLength)
            throw new InvalidOperationException($"a session would hold {total} spikes, more than an array can; use fewer units or a shorter duration");
        int n = (int)total;
        // Every element is written below: skip the zeroing (the pages of large arrays are then touched only once).
        var outTimes = GC.AllocateUninitializedArray<double>(n);
        var outUnits = GC.AllocateUninitializedArray<int>(n);
        int buckets = Math.Max(1, n / SpikesPerBucket);
        double scale = buckets / duration;
        var start = new int[buckets + 1];
        for (int u = 0; u < counts.Length; u++)
        {
            var ts = times[u];
            for (int k = 0; k < counts[u]; k++) start[Bucket(ts[k], scale, buckets) + 1]++;
        }
        for (int b = 0; b < buckets; b++) start[b + 1] += start[b];
        var next = (int[])start.Clone();
        for (int u = 0; u < counts.Length; u++)
        {
            var ts = times[u];
            for (int k = 0; k < counts[u]; k++)
            {
                int at = next[Bucket(ts[k], scale, buckets)]++;
                outTimes[at] = ts[k];
                outUnits[at] = u;
            }
        }
        for (int b = 0; b < buckets; b++) InsertionSort(outTimes, outUnits, start[b], start[b + 1]);
        return (outTimes, outUnits);
    }

    private static int Bucket(double t, double scale, int buckets) => Math.Min(buckets - 1, (int)(t * scale));

    private static void InsertionSort(double[] t, int[] u, int from, int to)
    {
        for (int i = from + 1; i < to; i++)
        {
            double ti = t[i];
            int ui = u[i];
            int j = i - 1;
            while (j >= from && (t[j] > ti || (t[j] == ti && u[j] > ui)))
            {
                t[j + 1] = t[j];
                u[j + 1] = u[j];
                j--;
            }
            t[j + 1] = ti;
            u[j + 1] = ui;
        }
    }
}
