namespace MLNeuro.Transforms;

/// <summary>
/// The cap rule of <see cref="SpikeTokenizer"/>: keeps exactly <c>budget</c> of a window's n spikes, each unit keeping its
/// share. Units get quotas proportional to their spike counts (largest remainder, ties to the lower unit index), and
/// each unit keeps its quota evenly spread over its own spikes (spike j of a unit with m spikes and quota q is kept when
/// floor((j + 1)·q / m) &gt; floor(j·q / m)). Thinning per unit rather than over the merged sequence matters: a stride over
/// the merged sequence aliases with regular interleavings (units alternating 0, 0, 0, 1 lose unit 0 entirely at 1/4).
/// </summary>
internal static class SpikeThinning
{
    /// <summary>Writes the kept spikes, in time order, as relative times; <paramref name="scratch"/> holds 3 ints per unit.</summary>
    public static void Write(ReadOnlySpan<double> times, ReadOnlySpan<int> units, double start, int unitCount,
        Span<int> scratch, Span<int> outUnits, Span<double> outTimes)
    {
        int n = times.Length, budget = outTimes.Length;
        var counts = scratch[..unitCount];
        var quotas = scratch.Slice(unitCount, unitCount);
        var seen = scratch.Slice(2 * unitCount, unitCount);
        scratch[..(3 * unitCount)].Clear();
        foreach (int u in units) counts[u]++;

        int assigned = 0, withRemainder = 0;
        for (int u = 0; u < unitCount; u++)
        {
            long share = (long)budget * counts[u];
            quotas[u] = (int)(share / n);
            assigned += quotas[u];
            if (share % n != 0) withRemainder++;
        }
        if (assigned < budget) GiveRemainders(counts, quotas, n, budget, budget - assigned, withRemainder);

        for (int i = 0, k = 0; i < n; i++)
        {
            int u = units[i];
            long j = seen[u]++, q = quotas[u], m = counts[u];
            if ((j + 1) * q / m == j * q / m) continue;
            outUnits[k] = u;
            outTimes[k++] = times[i] - start;
        }
    }

    /// <summary>Adds one spike to the quotas of the <paramref name="left"/> units with the largest fractional shares.</summary>
    private static void GiveRemainders(ReadOnlySpan<int> counts, Span<int> quotas, int n, int budget, int left, int withRemainder)
    {
        int unitCount = counts.Length;
        var keys = new long[withRemainder];
        var order = new int[withRemainder];
        for (int u = 0, k = 0; u < unitCount; u++)
        {
            long remainder = (long)budget * counts[u] % n;
            if (remainder == 0) continue;
            // Larger remainder first, then lower unit index: one sortable key (remainder < 2^31, units < 2^31).
            keys[k] = -(remainder * unitCount + (unitCount - 1 - u));
            order[k++] = u;
        }
        Array.Sort(keys, order);
        for (int k = 0; k < left; k++) quotas[order[k]]++;
    }
}
