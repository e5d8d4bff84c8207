namespace MLNeuro.Loaders;

/// <summary>
/// Intervals of a recording sorted by start (then end, kind, label). Intervals may overlap (a trial inside an epoch).
/// Immutable; each interval is checked at construction (finite, start &lt;= end, non-empty kind).
/// </summary>
/// <example><code>
/// var trials = recording.Intervals.OfKind("trial");
/// foreach (var trial in trials) Console.WriteLine($"{trial.Start}-{trial.End}");
/// </code></example>
public sealed class IntervalSet : IReadOnlyList<Interval>
{
    private readonly Interval[] _items;

    /// <summary>No intervals.</summary>
    public static IntervalSet Empty { get; } = new(Array.Empty<Interval>());

    /// <summary>Creates a set; throws <see cref="ArgumentException"/> naming the first bad interval.</summary>
    public IntervalSet(IEnumerable<Interval> intervals)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        _items = intervals.ToArray();
        for (int i = 0; i < _items.Length; i++)
        {
            var it = _items[i];
            if (!double.IsFinite(it.Start) || !double.IsFinite(it.End))
                throw new ArgumentException($"interval {i} ({it.Kind}) has a bound that is not finite: [{it.Start}, {it.End})", nameof(intervals));
            if (it.End < it.Start)
                throw new ArgumentException($"interval {i} ({it.Kind}) ends at {it.End} s, before its start at {it.Start} s", nameof(intervals));
            if (string.IsNullOrWhiteSpace(it.Kind))
                throw new ArgumentException($"interval {i} at {it.Start} s has an empty kind", nameof(intervals));
        }
        Array.Sort(_items, static (a, b) =>
        {
            int c = a.Start.CompareTo(b.Start);
            if (c == 0) c = a.End.CompareTo(b.End);
            if (c == 0) c = string.CompareOrdinal(a.Kind, b.Kind);
            if (c == 0) c = string.CompareOrdinal(a.Label, b.Label);
            return c;
        });
    }

    /// <summary>Number of intervals.</summary>
    public int Count => _items.Length;

    /// <summary>The interval at an index (sorted order).</summary>
    public Interval this[int index] => _items[index];

    /// <summary>The distinct kinds, sorted.</summary>
    public IReadOnlyList<string> Kinds => _items.Select(i => i.Kind).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Intervals of one kind.</summary>
    public IntervalSet OfKind(string kind) => new(_items.Where(i => i.Kind == kind));

    /// <summary>
    /// Intervals that overlap [start, end), clipped to it. Intervals are few (trials, epochs), so this scans them:
    /// O(number of intervals).
    /// </summary>
    public IntervalSet Slice(double start, double end)
    {
        TimeSearch.CheckWindow(start, end);
        return new(_items.Where(i => i.Start < end && i.End > start)
            .Select(i => i with { Start = Math.Max(i.Start, start), End = Math.Min(i.End, end) }));
    }

    /// <summary>Total time covered, counting overlaps once.</summary>
    public double CoveredSeconds()
    {
        double total = 0, curStart = double.NaN, curEnd = double.NaN;
        foreach (var it in _items)
        {
            if (double.IsNaN(curStart) || it.Start > curEnd)
            {
                if (!double.IsNaN(curStart)) total += curEnd - curStart;
                curStart = it.Start;
                curEnd = it.End;
            }
            else curEnd = Math.Max(curEnd, it.End);
        }
        return double.IsNaN(curStart) ? 0 : total + curEnd - curStart;
    }

    /// <inheritdoc />
    public IEnumerator<Interval> GetEnumerator() => ((IEnumerable<Interval>)_items).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _items.GetEnumerator();
}
