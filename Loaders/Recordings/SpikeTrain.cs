namespace MLNeuro.Loaders;

/// <summary>
/// All spikes of a recording as two flat arrays: timestamps in seconds (ascending; equal times are legal) and the
/// index of the unit that fired each one. Immutable. <see cref="Slice"/> shares storage and costs O(log n).
/// </summary>
/// <example><code>
/// var train = SpikeTrain.FromUnsorted(new[] { 0.3, 0.1, 0.2 }, new[] { 1, 0, 1 }, unitCount: 2);
/// var early = train.Slice(0.0, 0.25); // spikes at 0.1 (unit 0) and 0.2 (unit 1)
/// </code></example>
public sealed class SpikeTrain
{
    private readonly double[] _timestamps;
    private readonly int[] _unitIndices;
    private readonly int _offset;

    private SpikeTrain(double[] timestamps, int[] unitIndices, int offset, int count, int unitCount)
    {
        _timestamps = timestamps;
        _unitIndices = unitIndices;
        _offset = offset;
        Count = count;
        UnitCount = unitCount;
    }

    /// <summary>A train with no spikes over <paramref name="unitCount"/> units.</summary>
    public static SpikeTrain Empty(int unitCount) => new(Array.Empty<double>(), Array.Empty<int>(), 0, 0, unitCount);

    /// <summary>
    /// Copies time-sorted spikes; throws <see cref="ArgumentException"/> at the first timestamp that is not finite or
    /// out of order, or unit index outside [0, unitCount).
    /// </summary>
    public static SpikeTrain FromSorted(ReadOnlySpan<double> timestamps, ReadOnlySpan<int> unitIndices, int unitCount) =>
        Wrap(timestamps.ToArray(), unitIndices.ToArray(), unitCount);

    /// <summary>
    /// Copies spikes in any order and sorts them by time, ties by unit index (so the result does not depend on the
    /// input order); throws on non-finite timestamps or unit indices outside [0, unitCount).
    /// </summary>
    public static SpikeTrain FromUnsorted(ReadOnlySpan<double> timestamps, ReadOnlySpan<int> unitIndices, int unitCount)
    {
        var t = timestamps.ToArray();
        var u = unitIndices.ToArray();
        SortInPlace(t, u);
        return Wrap(t, u, unitCount);
    }

    /// <summary>Takes ownership of the arrays (no copy) after validating them; callers must not modify them afterwards.</summary>
    internal static SpikeTrain Wrap(double[] timestamps, int[] unitIndices, int unitCount)
    {
        Validate(timestamps, unitIndices, unitCount);
        return new SpikeTrain(timestamps, unitIndices, 0, timestamps.Length, unitCount);
    }

    /// <summary>Takes ownership of arrays the caller has already validated (sorted, finite, indices in range): no second pass.</summary>
    internal static SpikeTrain WrapValidated(double[] timestamps, int[] unitIndices, int unitCount) =>
        new(timestamps, unitIndices, 0, timestamps.Length, unitCount);

    /// <summary>Sorts by time, ties by unit index, in place.</summary>
    internal static void SortInPlace(double[] timestamps, int[] unitIndices)
    {
        if (timestamps.Length != unitIndices.Length)
            throw new ArgumentException($"{timestamps.Length} timestamps but {unitIndices.Length} unit indices", nameof(unitIndices));
        if (TimeSearch.FirstUnsortedOrNonFinite(timestamps) < 0 && TiesOrdered(timestamps, unitIndices)) return;
        for (int i = 0; i < timestamps.Length; i++)
            if (!double.IsFinite(timestamps[i]))
                throw new ArgumentException($"spike {i} has a timestamp that is not a finite number ({timestamps[i]})", nameof(timestamps));
        Array.Sort(timestamps, unitIndices);
        // Array.Sort is not stable: put equal-time runs in unit order so the result is canonical.
        for (int start = 0; start < timestamps.Length;)
        {
            int end = start + 1;
            while (end < timestamps.Length && timestamps[end] == timestamps[start]) end++;
            if (end - start > 1) unitIndices.AsSpan(start, end - start).Sort();
            start = end;
        }
    }

    private static bool TiesOrdered(double[] t, int[] u)
    {
        for (int i = 1; i < t.Length; i++)
            if (t[i] == t[i - 1] && u[i] < u[i - 1]) return false;
        return true;
    }

    private static void Validate(double[] timestamps, int[] unitIndices, int unitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unitCount);
        if (timestamps.Length != unitIndices.Length)
            throw new ArgumentException($"{timestamps.Length} timestamps but {unitIndices.Length} unit indices", nameof(unitIndices));
        int bad = TimeSearch.FirstUnsortedOrNonFinite(timestamps);
        if (bad >= 0)
            throw new ArgumentException(double.IsFinite(timestamps[bad])
                ? $"spike {bad} at {timestamps[bad]} s comes after a later spike ({timestamps[bad - 1]} s): timestamps must be sorted"
                : $"spike {bad} has a timestamp that is not a finite number ({timestamps[bad]})", nameof(timestamps));
        for (int i = 0; i < unitIndices.Length; i++)
            if ((uint)unitIndices[i] >= (uint)unitCount)
                throw new ArgumentException($"spike {i} names unit index {unitIndices[i]}, outside [0, {unitCount})", nameof(unitIndices));
    }

    /// <summary>Number of spikes.</summary>
    public int Count { get; }

    /// <summary>Number of units that unit indices refer to (the size of the units table).</summary>
    public int UnitCount { get; }

    /// <summary>Spike times in seconds, ascending.</summary>
    public ReadOnlySpan<double> Timestamps => _timestamps.AsSpan(_offset, Count);

    /// <summary>Unit index of each spike.</summary>
    public ReadOnlySpan<int> UnitIndices => _unitIndices.AsSpan(_offset, Count);

    /// <summary>Spikes with start &lt;= t &lt; end, sharing this train's storage.</summary>
    public SpikeTrain Slice(double start, double end)
    {
        TimeSearch.CheckWindow(start, end);
        var (first, count) = TimeSearch.Range(Timestamps, start, end);
        return new SpikeTrain(_timestamps, _unitIndices, _offset + first, count, UnitCount);
    }

    /// <summary>Spike count of every unit.</summary>
    public int[] CountPerUnit()
    {
        var counts = new int[UnitCount];
        foreach (var u in UnitIndices) counts[u]++;
        return counts;
    }

    /// <summary>Spike times of one unit, in order.</summary>
    public double[] TimesOf(int unitIndex)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)unitIndex, (uint)UnitCount, nameof(unitIndex));
        var list = new List<double>();
        var t = Timestamps;
        var u = UnitIndices;
        for (int i = 0; i < t.Length; i++) if (u[i] == unitIndex) list.Add(t[i]);
        return list.ToArray();
    }
}
