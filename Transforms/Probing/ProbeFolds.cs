namespace MLNeuro.Transforms;

/// <summary>
/// Assigns whole groups to folds, so no group is ever on both sides of a split. Leave-one-group-out: one fold per
/// group, in ordinal order of the group names. Grouped k-fold: the groups are shuffled with the seed, then taken in
/// order of decreasing size (the shuffle breaks ties) and each goes to the fold holding the fewest units so far
/// (lowest fold index on ties), which keeps folds near equal in size.
/// </summary>
internal static class ProbeFolds
{
    /// <summary>Fold index of each group, given the groups' unit counts (groups in ordinal order).</summary>
    public static int[] AssignGroups(IReadOnlyList<int> groupSizes, int? folds, int seed)
    {
        int g = groupSizes.Count;
        if (folds is null) return Enumerable.Range(0, g).ToArray();
        var order = Enumerable.Range(0, g).ToArray();
        new Random(seed).Shuffle(order);
        // OrderByDescending is a stable sort, so equal sizes keep their shuffled order.
        var bySize = order.OrderByDescending(i => groupSizes[i]).ToArray();
        var load = new long[folds.Value];
        var fold = new int[g];
        foreach (var group in bySize)
        {
            int target = 0;
            for (int f = 1; f < load.Length; f++) if (load[f] < load[target]) target = f;
            fold[group] = target;
            load[target] += groupSizes[group];
        }
        return fold;
    }
}
