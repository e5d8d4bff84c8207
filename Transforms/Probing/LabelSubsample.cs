namespace MLNeuro.Transforms;

/// <summary>
/// Keeps a fraction of a training fold's units, per class: round(fraction x n_c) units of each class (half away from
/// zero), at least one, drawn by a seeded shuffle. The seed mixes the run seed and the fold index, so each fold draws
/// differently but the same options always draw the same units.
/// </summary>
internal static class LabelSubsample
{
    /// <summary>The kept rows of <paramref name="rows"/> (ascending), whose classes are <c>classOf[row]</c>.</summary>
    public static int[] Keep(IReadOnlyList<int> rows, int[] classOf, double fraction, int seed, int fold)
    {
        if (fraction >= 1) return rows.ToArray();
        var random = new Random(unchecked(seed * 7919 + fold));
        var kept = new List<int>();
        foreach (var members in rows.GroupBy(r => classOf[r]).OrderBy(c => c.Key))
        {
            var pool = members.ToArray();
            random.Shuffle(pool);
            int keep = Math.Max(1, (int)Math.Round(fraction * pool.Length, MidpointRounding.AwayFromZero));
            kept.AddRange(pool.Take(keep));
        }
        kept.Sort();
        return kept.ToArray();
    }

    /// <summary>How many of <paramref name="count"/> units of one class the rule keeps.</summary>
    public static int KeptOf(int count, double fraction) =>
        fraction >= 1 ? count : Math.Max(1, (int)Math.Round(fraction * count, MidpointRounding.AwayFromZero));
}
