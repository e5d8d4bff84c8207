using MLNeuro.Loaders;

namespace MLNeuro.Estimators;

/// <summary>
/// Draws POYO's training windows: a session and an interval with probability proportional to the interval's length
/// (so every second of training time is equally likely to be seen), a start uniform over the positions where the
/// whole window fits inside the interval, the behaviour samples inside the window as queries, and the units kept by
/// unit dropout. Intervals shorter than the window are never sampled.
/// </summary>
internal sealed class PoyoWindowSampler
{
    private readonly PoyoDecodingOptions _options;
    private readonly List<(PoyoSession Session, double From, double To)> _ranges = new();
    private readonly double[] _cumulative;

    public PoyoWindowSampler(IReadOnlyList<(PoyoSession Session, IntervalSet Intervals)> parts, PoyoDecodingOptions options)
    {
        _options = options;
        var cumulative = new List<double>();
        double total = 0;
        foreach (var (session, intervals) in parts)
        {
            foreach (var interval in intervals)
            {
                if (interval.DurationSeconds < options.WindowSeconds) continue;
                _ranges.Add((session, interval.Start, interval.End - options.WindowSeconds));
                total += interval.DurationSeconds;
                cumulative.Add(total);
            }
        }
        if (_ranges.Count == 0)
            throw new ArgumentException(
                $"no training interval is at least one window ({options.WindowSeconds} s) long in sessions {string.Join(", ", parts.Select(p => p.Session.Recording.SessionId))}",
                nameof(parts));
        _cumulative = cumulative.ToArray();
    }

    public List<PoyoWindow> Next(Random random)
    {
        var windows = new List<PoyoWindow>(_options.BatchSize);
        for (int i = 0; i < _options.BatchSize; i++)
        {
            int r = Array.BinarySearch(_cumulative, random.NextDouble() * _cumulative[^1]);
            var (session, from, to) = _ranges[r >= 0 ? Math.Min(r + 1, _ranges.Count - 1) : ~r];
            double start = from + random.NextDouble() * (to - from);
            windows.Add(Window(session, start, random));
        }
        return windows;
    }

    private PoyoWindow Window(PoyoSession session, double start, Random random)
    {
        var times = session.BehaviorTimes;
        int first = TimeSearch.LowerBound(times, start), last = TimeSearch.LowerBound(times, start + _options.WindowSeconds);
        int c = _options.Channels.Count;
        var queries = times.AsSpan(first, last - first).ToArray();
        var targets = session.NormalizedTargets.AsSpan(first * c, (last - first) * c).ToArray();
        var weights = session.SampleWeights?.AsSpan(first, last - first).ToArray();
        return new PoyoWindow(session, start, queries, targets, KeptUnits(session.Recording.Units.Count, random), weights);
    }

    private bool[]? KeptUnits(int units, Random random)
    {
        int? count = KeptCount(units, _options, random);
        if (count is not { } keep) return null;
        var order = Enumerable.Range(0, units).ToArray();
        random.Shuffle(order);
        var kept = new bool[units];
        for (int i = 0; i < keep; i++) kept[order[i]] = true;
        return kept;
    }

    /// <summary>How many of <paramref name="units"/> a training window keeps; null keeps all without drawing.</summary>
    internal static int? KeptCount(int units, PoyoDecodingOptions options, Random random)
    {
        if (units == 0) return null;
        if (options.UnitDropoutMinKeep < 1)
        {
            double fraction = options.UnitDropoutMinKeep + random.NextDouble() * (1 - options.UnitDropoutMinKeep);
            return Math.Clamp((int)Math.Round(fraction * units), 1, units);
        }
        return options.UnitDropout is { } triangular ? TriangularUnitCount.Sample(units, triangular, random) : null;
    }

}
