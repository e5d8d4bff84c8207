namespace MLNeuro.Estimators;

/// <summary>Binary search over ascending times.</summary>
internal static class TimeIndex
{
    /// <summary>First index i with times[i] &gt;= t; times.Length when none.</summary>
    public static int LowerBound(ReadOnlySpan<double> times, double t)
    {
        int lo = 0, hi = times.Length;
        while (lo < hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            if (times[mid] < t) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
