namespace MLNeuro.Loaders.Import;

/// <summary>
/// Puts behaviour channels sampled on different clocks into one table without inventing values: the table's
/// timestamps are the union of every clock's timestamps, and a channel holds NaN at the times its own clock has no
/// sample, so every original sample keeps its exact time and value. A time that a clock repeats (equal timestamps are
/// allowed) gets as many rows as the clock that repeats it most, filled in order.
/// </summary>
internal sealed class BehaviorClockUnion
{
    private readonly int[][] _rowsOf;

    /// <summary>Merges clocks whose timestamps are each finite and ascending (the caller checks, naming the series).</summary>
    public BehaviorClockUnion(IReadOnlyList<double[]> clocks)
    {
        _rowsOf = clocks.Select(c => new int[c.Length]).ToArray();
        var next = new int[clocks.Count];
        var merged = new List<double>(clocks.Count == 0 ? 0 : clocks.Max(c => c.Length));
        while (true)
        {
            double t = double.PositiveInfinity;
            for (int k = 0; k < clocks.Count; k++)
                if (next[k] < clocks[k].Length) t = Math.Min(t, clocks[k][next[k]]);
            if (double.IsPositiveInfinity(t)) break;
            int repeats = 0;
            for (int k = 0; k < clocks.Count; k++)
            {
                var stamps = clocks[k];
                int run = 0;
                while (next[k] < stamps.Length && stamps[next[k]] == t) _rowsOf[k][next[k]++] = merged.Count + run++;
                repeats = Math.Max(repeats, run);
            }
            for (int r = 0; r < repeats; r++) merged.Add(t);
        }
        Timestamps = merged.ToArray();
    }

    /// <summary>The union of the clocks' timestamps, ascending.</summary>
    public double[] Timestamps { get; }

    /// <summary>A channel sampled on clock <paramref name="clock"/> spread onto <see cref="Timestamps"/>, NaN where that clock has no sample.</summary>
    public float[] Spread(int clock, float[] values)
    {
        var rows = _rowsOf[clock];
        var result = new float[Timestamps.Length];
        Array.Fill(result, float.NaN);
        for (int i = 0; i < values.Length; i++) result[rows[i]] = values[i];
        return result;
    }
}
