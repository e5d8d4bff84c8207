namespace MLNeuro.Loaders;

/// <summary>
/// Collects a session's units, spikes (in any order), behaviour and intervals, then builds a validated
/// <see cref="Recording"/>. Not thread-safe.
/// </summary>
/// <example><code>
/// var b = new RecordingBuilder("session-1", "mouse-A");
/// int u = b.AddUnit(new UnitInfo("n0", BrainRegion: "CA1"));
/// b.AddSpikes(u, new[] { 0.5, 0.1, 0.9 });
/// b.AddInterval(new Interval(0, 1, "trial"));
/// Recording r = b.Build(); // domain defaults to [first event, last event + 1 µs)
/// </code></example>
public sealed class RecordingBuilder
{
    private readonly List<UnitInfo> _units = new();
    private readonly Dictionary<string, int> _unitIndex = new(StringComparer.Ordinal);
    private readonly List<double> _spikeTimes = new();
    private readonly List<int> _spikeUnits = new();
    private readonly List<Interval> _intervals = new();
    private BehaviorSeries? _behavior;
    private CalciumTraces? _traces;
    private double? _start, _end;

    /// <summary>Starts a recording of one session of one subject.</summary>
    public RecordingBuilder(string sessionId, string subjectId)
    {
        SessionId = sessionId;
        SubjectId = subjectId;
    }

    /// <summary>The session id the recording will carry.</summary>
    public string SessionId { get; }

    /// <summary>The subject id the recording will carry.</summary>
    public string SubjectId { get; }

    /// <summary>Number of units added so far.</summary>
    public int UnitCount => _units.Count;

    /// <summary>Number of spikes added so far.</summary>
    public int SpikeCount => _spikeTimes.Count;

    /// <summary>Adds a unit and returns its index; throws when the id is already taken in this session.</summary>
    public int AddUnit(UnitInfo unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (!_unitIndex.TryAdd(unit.UnitId, _units.Count))
            throw new ArgumentException($"session '{SessionId}': unit id '{unit.UnitId}' is already present", nameof(unit));
        _units.Add(unit);
        return _units.Count - 1;
    }

    /// <summary>Index of a unit id added earlier, or -1.</summary>
    public int IndexOf(string unitId) => _unitIndex.TryGetValue(unitId, out var i) ? i : -1;

    /// <summary>Adds one spike of a unit.</summary>
    public void AddSpike(int unitIndex, double timestamp)
    {
        CheckUnit(unitIndex);
        _spikeTimes.Add(timestamp);
        _spikeUnits.Add(unitIndex);
    }

    /// <summary>Adds spikes of one unit, in any order.</summary>
    public void AddSpikes(int unitIndex, ReadOnlySpan<double> timestamps)
    {
        CheckUnit(unitIndex);
        foreach (var t in timestamps)
        {
            _spikeTimes.Add(t);
            _spikeUnits.Add(unitIndex);
        }
    }

    /// <summary>Sets the behaviour series (replacing any earlier one).</summary>
    public void SetBehavior(BehaviorSeries behavior) => _behavior = behavior;

    /// <summary>Sets calcium traces (their unit count must match the units added by <see cref="Build"/> time).</summary>
    public void SetTraces(CalciumTraces traces) => _traces = traces;

    /// <summary>Adds an interval.</summary>
    public void AddInterval(Interval interval) => _intervals.Add(interval);

    /// <summary>Sets the recording's time domain; otherwise it spans the events (see <see cref="Build"/>).</summary>
    public void SetDomain(double startSeconds, double endSeconds)
    {
        TimeSearch.CheckWindow(startSeconds, endSeconds);
        _start = startSeconds;
        _end = endSeconds;
    }

    /// <summary>
    /// Sorts the spikes (time, then unit) and builds the recording. Without <see cref="SetDomain"/>, the domain runs
    /// from the earliest spike, sample, frame or interval start to just after the latest (1 µs later, since the end
    /// is exclusive).
    /// </summary>
    public Recording Build()
    {
        var times = _spikeTimes.ToArray();
        var units = _spikeUnits.ToArray();
        SpikeTrain.SortInPlace(times, units);
        var spikes = SpikeTrain.Wrap(times, units, _units.Count);
        var intervals = new IntervalSet(_intervals);
        double start = _start ?? EarliestEvent(spikes, intervals);
        double end = _end ?? LatestEvent(spikes, intervals, start);
        return new Recording(SessionId, SubjectId, new UnitTable(_units), spikes, start, end, _behavior, intervals, _traces);
    }

    private double EarliestEvent(SpikeTrain spikes, IntervalSet intervals)
    {
        double t = double.PositiveInfinity;
        if (spikes.Count > 0) t = spikes.Timestamps[0];
        if (_behavior is { Count: > 0 }) t = Math.Min(t, _behavior.Timestamps[0]);
        if (_traces is { FrameCount: > 0 }) t = Math.Min(t, _traces.Timestamps[0]);
        foreach (var i in intervals) t = Math.Min(t, i.Start);
        return double.IsFinite(t) ? t : 0;
    }

    private double LatestEvent(SpikeTrain spikes, IntervalSet intervals, double start)
    {
        double t = start;
        if (spikes.Count > 0) t = Math.Max(t, spikes.Timestamps[^1]);
        if (_behavior is { Count: > 0 }) t = Math.Max(t, _behavior.Timestamps[^1]);
        if (_traces is { FrameCount: > 0 }) t = Math.Max(t, _traces.Timestamps[^1]);
        foreach (var i in intervals) t = Math.Max(t, i.End);
        return t + 1e-6;
    }

    private void CheckUnit(int unitIndex)
    {
        if ((uint)unitIndex >= (uint)_units.Count)
            throw new ArgumentOutOfRangeException(nameof(unitIndex), unitIndex, $"session '{SessionId}' has {_units.Count} units");
    }
}
