using Parquet;
using Parquet.Schema;

namespace MLNeuro.Loaders;

/// <summary>
/// Streams one session into a dataset being written: spikes arrive in time order in chunks of any size and are
/// written a row group at a time, so a session larger than memory can be imported. Obtained from
/// <see cref="DatasetWriter.BeginSession"/>; finish with <see cref="Complete"/>.
/// </summary>
public sealed class SessionWriter : IDisposable
{
    private readonly DatasetWriter _owner;
    private readonly string _root;
    private readonly string _stem;
    private readonly int[] _spikeCounts;
    private readonly double[] _timeBuffer;
    private readonly int[] _unitBuffer;
    private readonly string[] _sessionColumn;
    private readonly List<Interval> _intervals = new();
    private readonly DataField<string> _sessionField = new(DatasetLayout.SessionId, false);
    private readonly DataField<int> _unitField = new(DatasetLayout.UnitIndex);
    private readonly DataField<double> _timeField = new(DatasetLayout.Timestamp);
    private readonly FileStream _spikeStream;
    private readonly ParquetWriter _spikeWriter;
    private BehaviorSeries? _behavior;
    private CalciumTraces? _traces;
    private int _buffered;
    private long _spikeCount;
    private double _firstSpike = double.NaN, _lastSpike = double.NegativeInfinity;
    private bool _done;

    internal SessionWriter(DatasetWriter owner, string root, string stem, string sessionId, string subjectId, UnitTable units)
    {
        _owner = owner;
        _root = root;
        _stem = stem;
        SessionId = sessionId;
        SubjectId = subjectId;
        Units = units;
        _spikeCounts = new int[units.Count];
        _timeBuffer = new double[owner.RowGroupSize];
        _unitBuffer = new int[owner.RowGroupSize];
        _sessionColumn = Enumerable.Repeat(sessionId, owner.RowGroupSize).ToArray();
        _spikeStream = File.Create(Path.Combine(root, SpikesFile));
        var options = ParquetIo.SessionFileOptions(owner.Compression);
        _spikeWriter = ParquetIo.CreateWriter(new ParquetSchema(_sessionField, _unitField, _timeField), _spikeStream, options);
    }

    /// <summary>The session being written.</summary>
    public string SessionId { get; }

    /// <summary>Its subject.</summary>
    public string SubjectId { get; }

    /// <summary>Its units table.</summary>
    public UnitTable Units { get; }

    private string SpikesFile => $"{DatasetLayout.SpikesFolder}/{_stem}.parquet";

    /// <summary>
    /// Appends spikes that continue the session in time order. Throws <see cref="ArgumentException"/> at a timestamp
    /// that is not finite or goes back in time, or a unit index outside the units table.
    /// </summary>
    public void AppendSpikes(ReadOnlySpan<double> timestamps, ReadOnlySpan<int> unitIndices)
    {
        ThrowIfDone();
        if (timestamps.Length != unitIndices.Length)
            throw new ArgumentException($"{timestamps.Length} timestamps but {unitIndices.Length} unit indices", nameof(unitIndices));
        for (int i = 0; i < timestamps.Length; i++)
        {
            double t = timestamps[i];
            int u = unitIndices[i];
            if (!double.IsFinite(t))
                throw new ArgumentException($"session '{SessionId}': spike {_spikeCount + i} has a timestamp that is not finite ({t})", nameof(timestamps));
            if (t < _lastSpike)
                throw new ArgumentException($"session '{SessionId}': spike {_spikeCount + i} at {t} s comes after one at {_lastSpike} s; spikes must be appended in time order", nameof(timestamps));
            if ((uint)u >= (uint)_spikeCounts.Length)
                throw new ArgumentException($"session '{SessionId}': spike {_spikeCount + i} names unit index {u}, but the session has {_spikeCounts.Length} units", nameof(unitIndices));
            _spikeCounts[u]++;
            _lastSpike = t;
        }
        if (timestamps.Length > 0 && double.IsNaN(_firstSpike)) _firstSpike = timestamps[0];
        _spikeCount += timestamps.Length;
        while (timestamps.Length > 0)
        {
            int n = Math.Min(timestamps.Length, _timeBuffer.Length - _buffered);
            timestamps[..n].CopyTo(_timeBuffer.AsSpan(_buffered));
            unitIndices[..n].CopyTo(_unitBuffer.AsSpan(_buffered));
            _buffered += n;
            timestamps = timestamps[n..];
            unitIndices = unitIndices[n..];
            if (_buffered == _timeBuffer.Length) Flush();
        }
    }

    private void Flush()
    {
        if (_buffered == 0) return;
        using var group = _spikeWriter.CreateRowGroup();
        ParquetIo.WriteStrings(group, _sessionField, _buffered == _sessionColumn.Length ? _sessionColumn : new ArraySegment<string>(_sessionColumn, 0, _buffered));
        ParquetIo.Write<int>(group, _unitField, _unitBuffer.AsMemory(0, _buffered));
        ParquetIo.Write<double>(group, _timeField, _timeBuffer.AsMemory(0, _buffered));
        _buffered = 0;
    }

    /// <summary>Sets the session's behaviour (written at <see cref="Complete"/>).</summary>
    public void SetBehavior(BehaviorSeries behavior)
    {
        ThrowIfDone();
        foreach (var name in behavior.ChannelNames)
            if (name is DatasetLayout.Timestamp or DatasetLayout.SessionId)
                throw new ArgumentException($"session '{SessionId}': behaviour channel name '{name}' is reserved; rename it", nameof(behavior));
        _behavior = behavior;
    }

    /// <summary>Sets the session's calcium traces (written at <see cref="Complete"/>).</summary>
    public void SetTraces(CalciumTraces traces)
    {
        ThrowIfDone();
        if (traces.UnitCount != Units.Count)
            throw new ArgumentException($"session '{SessionId}': traces have {traces.UnitCount} units but the table has {Units.Count}", nameof(traces));
        _traces = traces;
    }

    /// <summary>Adds intervals of the session.</summary>
    public void AddIntervals(IEnumerable<Interval> intervals)
    {
        ThrowIfDone();
        var set = new IntervalSet(intervals);
        foreach (var interval in set)
            foreach (var column in interval.Metadata?.Keys ?? Enumerable.Empty<string>())
                if (DatasetLayout.ReservedIntervalColumns.Contains(column))
                    throw new ArgumentException($"session '{SessionId}': interval metadata column '{column}' clashes with a column of intervals.parquet; rename it", nameof(intervals));
        _intervals.AddRange(set);
    }

    /// <summary>
    /// Finishes the session with its time domain [start, end), which must contain every spike, behaviour sample and frame.
    /// </summary>
    public void Complete(double startSeconds, double endSeconds)
    {
        ThrowIfDone();
        TimeSearch.CheckWindow(startSeconds, endSeconds);
        if (_spikeCount > 0 && (_firstSpike < startSeconds || _lastSpike >= endSeconds))
            throw new ArgumentException($"session '{SessionId}': spikes span [{_firstSpike}, {_lastSpike}] s, outside the domain [{startSeconds}, {endSeconds}) s");
        Flush();
        _spikeWriter.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _spikeStream.Dispose();
        string? behaviorFile = _behavior is null ? null : WriteBehavior(_behavior);
        string? tracesFile = _traces is null ? null : WriteTraces(_traces);
        _done = true;
        var entry = new SessionEntry
        {
            SessionId = SessionId,
            SubjectId = SubjectId,
            StartSeconds = startSeconds,
            EndSeconds = endSeconds,
            UnitCount = Units.Count,
            SpikeCount = _spikeCount,
            BehaviorChannels = _behavior?.ChannelNames.ToList() ?? new List<string>(),
            IntervalCount = _intervals.Count,
            SpikesFile = SpikesFile,
            BehaviorFile = behaviorFile,
            TracesFile = tracesFile,
        };
        _owner.OnSessionCompleted(this, entry, _spikeCounts, _intervals);
    }

    private string WriteBehavior(BehaviorSeries behavior)
    {
        var relative = $"{DatasetLayout.BehaviorFolder}/{_stem}.parquet";
        Directory.CreateDirectory(Path.Combine(_root, DatasetLayout.BehaviorFolder));
        var timeField = new DataField<double>(DatasetLayout.Timestamp);
        var channelFields = behavior.ChannelNames.Select(n => new DataField<float>(n)).ToArray();
        using var stream = File.Create(Path.Combine(_root, relative));
        var writer = ParquetIo.CreateWriter(new ParquetSchema(new Field[] { _sessionField, timeField }.Concat(channelFields).ToArray()), stream, ParquetIo.SessionFileOptions(_owner.Compression));
        using var disposeWriter = ParquetIo.Disposing(writer);
        using var group = writer.CreateRowGroup();
        ParquetIo.WriteStrings(group, _sessionField, Enumerable.Repeat(SessionId, behavior.Count).ToArray());
        ParquetIo.Write<double>(group, timeField, behavior.Timestamps.ToArray());
        for (int c = 0; c < channelFields.Length; c++) ParquetIo.Write<float>(group, channelFields[c], behavior.Channel(c).ToArray());
        return relative;
    }

    private string WriteTraces(CalciumTraces traces)
    {
        var relative = $"{DatasetLayout.TracesFolder}/{_stem}.parquet";
        Directory.CreateDirectory(Path.Combine(_root, DatasetLayout.TracesFolder));
        var timeField = new DataField<double>(DatasetLayout.Timestamp);
        var valueField = new DataField<float>(DatasetLayout.Value);
        var options = ParquetIo.SessionFileOptions(_owner.Compression);
        using var stream = File.Create(Path.Combine(_root, relative));
        var writer = ParquetIo.CreateWriter(new ParquetSchema(_sessionField, _unitField, timeField, valueField), stream, options);
        using var disposeWriter = ParquetIo.Disposing(writer);
        // One row group per unit: frames of a unit stay together, and a reader can stream unit by unit.
        var frameTimes = traces.Timestamps.ToArray();
        var sessionColumn = Enumerable.Repeat(SessionId, traces.FrameCount).ToArray();
        var unitColumn = new int[traces.FrameCount];
        for (int u = 0; u < traces.UnitCount; u++)
        {
            Array.Fill(unitColumn, u);
            using var group = writer.CreateRowGroup();
            ParquetIo.WriteStrings(group, _sessionField, sessionColumn);
            ParquetIo.Write<int>(group, _unitField, unitColumn);
            ParquetIo.Write<double>(group, timeField, frameTimes);
            ParquetIo.Write<float>(group, valueField, traces.Unit(u).ToArray());
        }
        return relative;
    }

    private void ThrowIfDone()
    {
        if (_done) throw new InvalidOperationException($"session '{SessionId}' is already complete");
    }

    internal void Abandon()
    {
        if (_done) return;
        _done = true;
        try
        {
            _spikeWriter.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // The folder is deleted with the whole partial dataset; a half-written file does not matter.
        }
        _spikeStream.Dispose();
        _owner.OnSessionAbandoned();
    }

    /// <summary>Abandons the session if <see cref="Complete"/> was not called.</summary>
    public void Dispose() => Abandon();
}
