namespace MLNeuro.Loaders;

/// <summary>Binary searches over sorted time arrays; every slice in MLNeuro goes through these.</summary>
internal static class TimeSearch
{
    /// <summary>First index i with times[i] &gt;= t (times sorted ascending); times.Length when none.</summary>
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

    /// <summary>Index range [first, last) of the times inside [start, end).</summary>
    public static (int First, int Count) Range(ReadOnlySpan<double> times, double start, double end)
    {
        int first = LowerBound(times, start);
        int last = end <= start ? first : LowerBound(times, end);
        return (first, Math.Max(0, last - first));
    }

    /// <summary>Throws unless start and end are finite and start &lt;= end.</summary>
    public static void CheckWindow(double start, double end)
    {
        if (!double.IsFinite(start)) throw new ArgumentOutOfRangeException(nameof(start), start, "window start must be a finite number of seconds");
        if (!double.IsFinite(end)) throw new ArgumentOutOfRangeException(nameof(end), end, "window end must be a finite number of seconds");
        if (end < start) throw new ArgumentException($"window end ({end} s) is before its start ({start} s)", nameof(end));
    }

    /// <summary>Index of the first element that is not finite or breaks ascending order, or -1 when none.</summary>
    public static int FirstUnsortedOrNonFinite(ReadOnlySpan<double> times)
    {
        double previous = double.NegativeInfinity;
        for (int i = 0; i < times.Length; i++)
        {
            double t = times[i];
            if (!double.IsFinite(t) || t < previous) return i;
            previous = t;
        }
        return -1;
    }
}
