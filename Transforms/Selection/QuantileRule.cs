namespace MLNeuro.Transforms;

/// <summary>The quantile rule of <see cref="PredictableNeuronOptions.Quantile"/>, kept apart so it can be read in one place.</summary>
internal static class QuantileRule
{
    /// <summary>Sets <see cref="UnitPredictability.IsPredictable"/> on the first floor(q·n) eligible units in rank order.</summary>
    public static void Mark(UnitPredictability[] units, double quantile)
    {
        var eligible = new List<int>();
        for (int i = 0; i < units.Length; i++) if (units[i].IsEligible) eligible.Add(i);
        int n = eligible.Count;
        if (n == 0) return;
        var skew = new double[n];
        var kurt = new double[n];
        for (int j = 0; j < n; j++)
        {
            skew[j] = units[eligible[j]].Skewness;
            kurt[j] = units[eligible[j]].Kurtosis;
        }
        var skewSorted = (double[])skew.Clone();
        var kurtSorted = (double[])kurt.Clone();
        Array.Sort(skewSorted);
        Array.Sort(kurtSorted);
        var order = new (int Worse, int Sum, int Unit)[n];
        for (int j = 0; j < n; j++)
        {
            int rs = 1 + LowerBound(skewSorted, skew[j]), rk = 1 + LowerBound(kurtSorted, kurt[j]);
            order[j] = (Math.Max(rs, rk), rs + rk, eligible[j]);
        }
        Array.Sort(order, (a, b) =>
        {
            int c = a.Worse.CompareTo(b.Worse);
            if (c == 0) c = a.Sum.CompareTo(b.Sum);
            if (c == 0) c = string.CompareOrdinal(units[a.Unit].SessionId, units[b.Unit].SessionId);
            if (c == 0) c = string.CompareOrdinal(units[a.Unit].UnitId, units[b.Unit].UnitId);
            return c;
        });
        int take = (int)Math.Floor(quantile * n + 1e-9);
        for (int j = 0; j < take; j++) units[order[j].Unit] = units[order[j].Unit] with { IsPredictable = true };
    }

    /// <summary>Number of values strictly smaller than <paramref name="value"/> in an ascending array.</summary>
    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
