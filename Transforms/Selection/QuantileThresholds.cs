namespace MLNeuro.Transforms;

/// <summary>
/// Turns <see cref="PredictableNeuronOptions.Quantile"/> into concrete thresholds on the fitted units, so the fitted
/// transformer can judge each row on its own.
/// </summary>
/// <remarks>
/// The plain rule orders the n eligible units by the worse of their skewness rank and kurtosis rank. The units whose
/// worse rank is at most r are exactly those with skewness &lt;= s(r) and kurtosis &lt;= k(r), where s(r) and k(r) are
/// the r-th smallest eligible skewness and kurtosis; so every such "tier boundary" is a threshold pair. We pick the
/// r whose tier count is closest to floor(q·n) (ties to the smaller count) and persist (s(r), k(r)). Difference from
/// the plain rule: that one also takes part of the next tier (broken by rank sum, then ids) to reach floor(q·n)
/// exactly; thresholds cannot split a tier, so the flagged set is the plain rule's set plus or minus part of one tier
/// (nested with it), and equal to it whenever floor(q·n) falls on a tier boundary. With no tier selected (q·n below
/// half of the first tier) the thresholds are -<see cref="double.MaxValue"/> and nothing is predictable.
/// </remarks>
internal static class QuantileThresholds
{
    public static (double MaxSkewness, double MaxKurtosis) Learn(IReadOnlyList<UnitPredictability> units, double quantile)
    {
        var eligible = units.Where(u => u.IsEligible).ToArray();
        int n = eligible.Length;
        int target = (int)Math.Floor(quantile * n + 1e-9); // the plain rule's count (QuantileRule)
        var skewSorted = eligible.Select(u => u.Skewness).Order().ToArray();
        var kurtSorted = eligible.Select(u => u.Kurtosis).Order().ToArray();
        // tierCount[r] = units whose worse rank (1 + number strictly smaller) is <= r.
        var worse = eligible.Select(u => Math.Max(Rank(skewSorted, u.Skewness), Rank(kurtSorted, u.Kurtosis))).Order().ToArray();
        int bestR = 0, bestCount = 0;
        for (int i = 0; i < n; i++)
        {
            int r = worse[i];
            if (i + 1 < n && worse[i + 1] == r) continue; // count only at the end of a tier
            int count = i + 1;
            if (Math.Abs(count - target) < Math.Abs(bestCount - target)) (bestR, bestCount) = (r, count);
        }
        return bestR == 0 ? (double.MinValue, double.MinValue) : (skewSorted[bestR - 1], kurtSorted[bestR - 1]);
    }

    private static int Rank(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return 1 + lo;
    }
}
