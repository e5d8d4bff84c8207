namespace MLNeuro.Loaders.Views;

/// <summary>
/// Places fixed-length windows inside regions of time (a session's domain, or its intervals of one kind). Every window
/// lies inside a single region, so a window never straddles two trials. Options are checked in the constructor, and the
/// result depends only on the options, the regions and the <see cref="Random"/> passed in: the same seed gives the same
/// windows. A region shorter than the window yields no window; <see cref="Count"/> says how many a call will return.
/// </summary>
/// <example><code>
/// var sampler = new WindowSampler(windowSeconds: 1.0, WindowMode.Random, windowsPerSession: 8);
/// var regions = WindowSampler.EligibleRegions(recording.StartSeconds, recording.EndSeconds, recording.Intervals, "trial");
/// IReadOnlyList&lt;TimeWindow&gt; windows = sampler.Sample(regions, new Random(42));
/// </code></example>
public sealed class WindowSampler
{
    // Sequential mode accepts a last window that overshoots its region by this fraction of a stride: k * stride
    // accumulates rounding error, and losing the window that exactly tiles the end of a region would be a surprise.
    private const double TilingTolerance = 1e-9;

    /// <summary>
    /// Creates a sampler. Throws <see cref="ArgumentOutOfRangeException"/> naming the option when
    /// <paramref name="windowSeconds"/> is not a finite number &gt; 0, <paramref name="windowsPerSession"/> is below 1
    /// in <see cref="WindowMode.Random"/> mode, or <paramref name="strideSeconds"/> is not finite and &gt; 0; throws
    /// <see cref="ArgumentException"/> when a stride is given in Random mode (it would be silently ignored).
    /// </summary>
    /// <param name="windowSeconds">Window length in seconds (option WindowSeconds).</param>
    /// <param name="mode">Random or sequential placement.</param>
    /// <param name="windowsPerSession">Windows each <see cref="Sample"/> call draws in Random mode.</param>
    /// <param name="strideSeconds">Sequential mode: distance between window starts; null means the window length (no overlap).</param>
    public WindowSampler(double windowSeconds, WindowMode mode = WindowMode.Random, int windowsPerSession = 1, double? strideSeconds = null)
    {
        if (!double.IsFinite(windowSeconds) || windowSeconds <= 0)
            throw new ArgumentOutOfRangeException(nameof(windowSeconds), windowSeconds, $"WindowSeconds must be a finite number of seconds > 0 (got {windowSeconds})");
        if (!Enum.IsDefined(mode))
            throw new ArgumentOutOfRangeException(nameof(mode), mode, $"Mode must be {nameof(WindowMode.Random)} or {nameof(WindowMode.Sequential)}");
        if (mode == WindowMode.Random && windowsPerSession < 1)
            throw new ArgumentOutOfRangeException(nameof(windowsPerSession), windowsPerSession, $"WindowsPerSession must be at least 1 in Random mode (got {windowsPerSession})");
        if (strideSeconds is double stride)
        {
            if (mode != WindowMode.Sequential)
                throw new ArgumentException("StrideSeconds applies to Sequential mode only; leave it null in Random mode", nameof(strideSeconds));
            if (!double.IsFinite(stride) || stride <= 0)
                throw new ArgumentOutOfRangeException(nameof(strideSeconds), stride, $"StrideSeconds must be a finite number of seconds > 0 (got {stride})");
        }
        WindowSeconds = windowSeconds;
        Mode = mode;
        WindowsPerSession = windowsPerSession;
        StrideSeconds = strideSeconds ?? windowSeconds;
    }

    /// <summary>Window length in seconds.</summary>
    public double WindowSeconds { get; }

    /// <summary>Placement mode.</summary>
    public WindowMode Mode { get; }

    /// <summary>Windows drawn per <see cref="Sample"/> call in Random mode (unused in Sequential mode).</summary>
    public int WindowsPerSession { get; }

    /// <summary>Distance between consecutive window starts in Sequential mode (the window length unless set).</summary>
    public double StrideSeconds { get; }

    /// <summary>
    /// The regions windows may be drawn from: the domain [<paramref name="domainStart"/>, <paramref name="domainEnd"/>)
    /// when <paramref name="intervalKind"/> is null, otherwise every interval of that kind clipped to the domain
    /// (empty ones dropped), in start order.
    /// </summary>
    public static IReadOnlyList<TimeWindow> EligibleRegions(double domainStart, double domainEnd, IntervalSet intervals, string? intervalKind)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        TimeSearch.CheckWindow(domainStart, domainEnd);
        if (intervalKind is null) return domainEnd > domainStart ? new[] { new TimeWindow(domainStart, domainEnd) } : Array.Empty<TimeWindow>();
        var regions = new List<TimeWindow>();
        foreach (var interval in intervals)
        {
            if (interval.Kind != intervalKind) continue;
            double start = Math.Max(interval.Start, domainStart), end = Math.Min(interval.End, domainEnd);
            if (end > start) regions.Add(new TimeWindow(start, end));
        }
        return regions;
    }

    /// <summary>Number of windows <see cref="Sample"/> returns for these regions (no randomness involved).</summary>
    public int Count(IReadOnlyList<TimeWindow> regions)
    {
        CheckRegions(regions);
        if (Mode == WindowMode.Random) return regions.Any(Fits) ? WindowsPerSession : 0;
        long total = 0;
        foreach (var r in regions) total += SequentialCount(r);
        if (total > Array.MaxLength)
            throw new ArgumentException($"{total} windows of {WindowSeconds} s every {StrideSeconds} s is more than one session can hold; raise StrideSeconds", nameof(regions));
        return (int)total;
    }

    /// <summary>
    /// The windows for these regions. Random mode draws <see cref="WindowsPerSession"/> windows from
    /// <paramref name="random"/>: each start is uniform over all positions where a whole window fits in a region
    /// (regions weighted by that room), in the order drawn. Sequential mode ignores <paramref name="random"/> (it may be
    /// null) and returns, region by region, windows starting at the region start and every stride after it.
    /// </summary>
    public IReadOnlyList<TimeWindow> Sample(IReadOnlyList<TimeWindow> regions, Random? random)
    {
        int count = Count(regions);
        var windows = new TimeWindow[count];
        if (count == 0) return windows;
        if (Mode == WindowMode.Sequential) FillSequential(regions, windows);
        else FillRandom(regions, windows, random ?? throw new ArgumentNullException(nameof(random), "Random mode needs a seeded Random"));
        return windows;
    }

    private bool Fits(TimeWindow r) => r.End - r.Start >= WindowSeconds;

    private long SequentialCount(TimeWindow r)
    {
        if (!Fits(r)) return 0;
        return (long)Math.Floor((r.End - r.Start - WindowSeconds) / StrideSeconds + TilingTolerance) + 1;
    }

    private void FillSequential(IReadOnlyList<TimeWindow> regions, TimeWindow[] windows)
    {
        int next = 0;
        foreach (var r in regions)
        {
            long n = SequentialCount(r);
            for (long k = 0; k < n; k++)
            {
                // Multiply rather than accumulate so rounding error does not grow along a long session.
                double start = r.Start + k * StrideSeconds;
                windows[next++] = new TimeWindow(start, Math.Min(start + WindowSeconds, r.End));
            }
        }
    }

    private void FillRandom(IReadOnlyList<TimeWindow> regions, TimeWindow[] windows, Random random)
    {
        var fitting = regions.Where(Fits).ToArray();
        var room = new double[fitting.Length];
        double total = 0;
        for (int i = 0; i < fitting.Length; i++) total += room[i] = fitting[i].End - fitting[i].Start - WindowSeconds;
        for (int w = 0; w < windows.Length; w++)
        {
            int pick;
            double offset;
            if (total > 0)
            {
                // One uniform draw over the concatenated room of all regions: region chosen in proportion to its room.
                double u = random.NextDouble() * total;
                pick = 0;
                while (pick < fitting.Length - 1 && u >= room[pick]) u -= room[pick++];
                offset = Math.Min(u, room[pick]);
            }
            else
            {
                // Every fitting region is exactly one window long: choose among them uniformly.
                pick = random.Next(fitting.Length);
                offset = 0;
            }
            var r = fitting[pick];
            double start = r.Start + offset, end = start + WindowSeconds;
            if (end > r.End)
            {
                end = r.End;
                start = Math.Max(r.Start, end - WindowSeconds);
            }
            windows[w] = new TimeWindow(start, end);
        }
    }

    private static void CheckRegions(IReadOnlyList<TimeWindow> regions)
    {
        ArgumentNullException.ThrowIfNull(regions);
        for (int i = 0; i < regions.Count; i++)
            if (!double.IsFinite(regions[i].Start) || !double.IsFinite(regions[i].End) || regions[i].End < regions[i].Start)
                throw new ArgumentException($"region {i} [{regions[i].Start}, {regions[i].End}) is not a finite, ordered time range", nameof(regions));
    }
}
