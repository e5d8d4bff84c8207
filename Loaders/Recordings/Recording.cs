namespace MLNeuro.Loaders;

/// <summary>
/// One session: its units, spikes, and optionally behaviour, intervals and calcium traces, over a time domain
/// [<see cref="StartSeconds"/>, <see cref="EndSeconds"/>). Immutable; built with <see cref="RecordingBuilder"/> or read
/// from a dataset. Every spike, behaviour sample and trace frame lies inside the domain (checked at construction).
/// </summary>
/// <example><code>
/// using var dataset = NeuralDataset.Open("data/");
/// Recording session = dataset.ReadRecording(dataset.Sessions[0].SessionId);
/// Recording first10s = session.Slice(session.StartSeconds, session.StartSeconds + 10);
/// </code></example>
public sealed class Recording
{
    /// <summary>Creates a recording; throws <see cref="ArgumentException"/> when the parts disagree.</summary>
    public Recording(string sessionId, string subjectId, UnitTable units, SpikeTrain spikes, double startSeconds, double endSeconds,
        BehaviorSeries? behavior = null, IntervalSet? intervals = null, CalciumTraces? traces = null)
    {
        if (string.IsNullOrWhiteSpace(sessionId)) throw new ArgumentException("session id is empty", nameof(sessionId));
        if (string.IsNullOrWhiteSpace(subjectId)) throw new ArgumentException($"session '{sessionId}': subject id is empty", nameof(subjectId));
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(spikes);
        TimeSearch.CheckWindow(startSeconds, endSeconds);
        if (spikes.UnitCount != units.Count)
            throw new ArgumentException($"session '{sessionId}': spikes refer to {spikes.UnitCount} units but the table has {units.Count}", nameof(spikes));
        CheckInside(sessionId, "spike", spikes.Timestamps, startSeconds, endSeconds);
        if (behavior is not null) CheckInside(sessionId, "behaviour sample", behavior.Timestamps, startSeconds, endSeconds);
        if (traces is not null)
        {
            if (traces.UnitCount != units.Count)
                throw new ArgumentException($"session '{sessionId}': traces have {traces.UnitCount} units but the table has {units.Count}", nameof(traces));
            CheckInside(sessionId, "trace frame", traces.Timestamps, startSeconds, endSeconds);
        }
        SessionId = sessionId;
        SubjectId = subjectId;
        Units = units;
        Spikes = spikes;
        StartSeconds = startSeconds;
        EndSeconds = endSeconds;
        Behavior = behavior;
        Intervals = intervals ?? IntervalSet.Empty;
        Traces = traces;
    }

    private static void CheckInside(string session, string what, ReadOnlySpan<double> times, double start, double end)
    {
        if (times.Length == 0) return;
        if (times[0] < start || times[^1] >= end && !(times[^1] == end && end == start))
        {
            double t = times[0] < start ? times[0] : times[^1];
            throw new ArgumentException($"session '{session}': a {what} at {t} s lies outside the recording's domain [{start}, {end}) s");
        }
    }

    /// <summary>Session identifier, unique within a dataset.</summary>
    public string SessionId { get; }

    /// <summary>Subject (animal or patient) identifier.</summary>
    public string SubjectId { get; }

    /// <summary>The units, in the order spike unit indices refer to.</summary>
    public UnitTable Units { get; }

    /// <summary>All spikes, time-sorted.</summary>
    public SpikeTrain Spikes { get; }

    /// <summary>Behaviour, or null when the session has none.</summary>
    public BehaviorSeries? Behavior { get; }

    /// <summary>Trials, epochs and other intervals (possibly empty).</summary>
    public IntervalSet Intervals { get; }

    /// <summary>Calcium traces, or null for spiking data.</summary>
    public CalciumTraces? Traces { get; }

    /// <summary>Start of the recorded time domain, seconds.</summary>
    public double StartSeconds { get; }

    /// <summary>End of the recorded time domain (exclusive), seconds.</summary>
    public double EndSeconds { get; }

    /// <summary>Length of the domain in seconds.</summary>
    public double DurationSeconds => EndSeconds - StartSeconds;

    /// <summary>
    /// The part of the recording in [start, end) (clipped to the domain), sharing storage: O(log n) for spikes,
    /// behaviour and traces, O(number of intervals) for intervals.
    /// </summary>
    public Recording Slice(double start, double end)
    {
        TimeSearch.CheckWindow(start, end);
        double s = Math.Clamp(start, StartSeconds, EndSeconds), e = Math.Clamp(end, s, EndSeconds);
        return new Recording(SessionId, SubjectId, Units, Spikes.Slice(s, e), s, e, Behavior?.Slice(s, e), Intervals.Slice(s, e), Traces?.Slice(s, e));
    }
}
