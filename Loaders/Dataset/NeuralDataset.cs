using Parquet;
using Parquet.Schema;

namespace MLNeuro.Loaders;

/// <summary>
/// A dataset folder opened for reading (see README, "Dataset format"). Opening reads <c>dataset.json</c>, the units
/// table and the intervals (all small); spikes, behaviour and traces are read per session on request, so memory
/// holds one session at a time, or one row group with <see cref="ReadSpikeChunks"/>. Safe to read from several
/// threads: every read opens its own file handles.
/// </summary>
/// <example><code>
/// var dataset = NeuralDataset.Open("data/synthetic");
/// foreach (var recording in dataset.ReadRecordings(RecordingParts.Spikes))
///     Console.WriteLine($"{recording.SessionId}: {recording.Spikes.Count} spikes");
/// </code></example>
public sealed class NeuralDataset
{
    private readonly Dictionary<string, SessionEntry> _sessionsById;
    private readonly Dictionary<string, UnitTable> _unitsBySession;
    private readonly Dictionary<string, List<Interval>> _intervalsBySession;

    private NeuralDataset(string path, DatasetManifest manifest, IReadOnlyList<DatasetUnit> units, Dictionary<string, List<Interval>> intervals)
    {
        Path = path;
        Manifest = manifest;
        Units = units;
        _sessionsById = new(StringComparer.Ordinal);
        var manifestPath = System.IO.Path.Combine(path, DatasetLayout.ManifestFile);
        foreach (var s in manifest.Sessions)
        {
            if (!_sessionsById.TryAdd(s.SessionId, s))
                throw new DataFormatException(manifestPath, $"session '{s.SessionId}' is listed twice", column: "sessions");
            CheckInsideDataset(manifestPath, s, "spikes_file", s.SpikesFile);
            CheckInsideDataset(manifestPath, s, "behavior_file", s.BehaviorFile);
            CheckInsideDataset(manifestPath, s, "traces_file", s.TracesFile);
        }
        _unitsBySession = units.GroupBy(u => u.SessionId).ToDictionary(g => g.Key, g => new UnitTable(g.OrderBy(u => u.UnitIndex).Select(u => u.Unit)));
        _intervalsBySession = intervals;
        foreach (var s in manifest.Sessions)
        {
            int count = _unitsBySession.TryGetValue(s.SessionId, out var table) ? table.Count : 0;
            if (count != s.UnitCount)
                throw new DataFormatException(System.IO.Path.Combine(path, DatasetLayout.UnitsFile), $"session '{s.SessionId}' has {count} units here but dataset.json lists {s.UnitCount}");
        }
    }

    // A dataset is self-contained: a manifest naming an absolute path or climbing out with ".." could make a reader
    // touch files outside the folder it was given (and a copy of the folder would silently read the original's files).
    private static void CheckInsideDataset(string manifestPath, SessionEntry session, string column, string? file)
    {
        if (file is null) return;
        var parts = file.Split('/', '\\');
        if (file.Length == 0 || System.IO.Path.IsPathRooted(file) || file.Contains(':') || parts.Any(p => p is ".." or ""))
            throw new DataFormatException(manifestPath,
                $"session '{session.SessionId}': {column} '{file}' must be a path inside the dataset folder (relative, without '..')", column: column);
    }

    /// <summary>
    /// Opens a dataset folder. Throws <see cref="DirectoryNotFoundException"/> when the folder is missing or is a file,
    /// and <see cref="DataFormatException"/> naming the file when dataset.json, units.parquet or intervals.parquet is bad.
    /// </summary>
    public static NeuralDataset Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        InputPaths.RequireFolder(path, "dataset folder", expectedFileInside: DatasetLayout.ManifestFile);
        var manifestPath = System.IO.Path.Combine(path, DatasetLayout.ManifestFile);
        if (!File.Exists(manifestPath))
            throw new DataFormatException(path, $"not an MLNeuro dataset: {DatasetLayout.ManifestFile} is missing");
        var manifest = DatasetManifest.Load(manifestPath);
        var units = ReadUnits(System.IO.Path.Combine(path, DatasetLayout.UnitsFile));
        var intervals = ReadIntervals(System.IO.Path.Combine(path, DatasetLayout.IntervalsFile));
        return new NeuralDataset(path, manifest, units, intervals);
    }

    /// <summary>The dataset folder.</summary>
    public string Path { get; }

    /// <summary>The parsed dataset.json.</summary>
    public DatasetManifest Manifest { get; }

    /// <summary>Sessions in stored order.</summary>
    public IReadOnlyList<SessionEntry> Sessions => Manifest.Sessions;

    /// <summary>Every unit of every session, in stored order (session by session, unit index ascending).</summary>
    public IReadOnlyList<DatasetUnit> Units { get; }

    /// <summary>Total number of spikes.</summary>
    public long SpikeCount => Manifest.Sessions.Sum(s => s.SpikeCount);

    /// <summary>The entry of a session; throws <see cref="KeyNotFoundException"/> listing some session ids.</summary>
    public SessionEntry Session(string sessionId) =>
        _sessionsById.TryGetValue(sessionId, out var entry) ? entry
            : throw new KeyNotFoundException($"dataset '{Path}' has no session '{sessionId}' (sessions: {string.Join(", ", Sessions.Take(10).Select(s => s.SessionId))}{(Sessions.Count > 10 ? ", ..." : "")})");

    /// <summary>The units table of a session.</summary>
    public UnitTable UnitsOf(string sessionId)
    {
        Session(sessionId);
        return _unitsBySession.TryGetValue(sessionId, out var table) ? table : UnitTable.Empty;
    }

    /// <summary>The intervals of a session.</summary>
    public IntervalSet IntervalsOf(string sessionId)
    {
        Session(sessionId);
        return _intervalsBySession.TryGetValue(sessionId, out var list) ? new IntervalSet(list) : IntervalSet.Empty;
    }

    /// <summary>Reads one session; parts not asked for are left empty (spikes) or null (behaviour, traces).</summary>
    public Recording ReadRecording(string sessionId, RecordingParts parts = RecordingParts.All)
    {
        var entry = Session(sessionId);
        var units = UnitsOf(sessionId);
        var spikes = parts.HasFlag(RecordingParts.Spikes) ? ReadSpikes(entry, units.Count) : SpikeTrain.Empty(units.Count);
        var behavior = parts.HasFlag(RecordingParts.Behavior) && entry.BehaviorFile is not null ? ReadBehavior(entry) : null;
        var traces = parts.HasFlag(RecordingParts.Traces) && entry.TracesFile is not null ? ReadTraces(entry, units.Count) : null;
        try
        {
            return new Recording(entry.SessionId, entry.SubjectId, units, spikes, entry.StartSeconds, entry.EndSeconds, behavior, IntervalsOf(sessionId), traces);
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException(Path, e.Message, inner: e);
        }
    }

    /// <summary>Reads the sessions one at a time, in stored order (only one is held in memory by this enumeration).</summary>
    public IEnumerable<Recording> ReadRecordings(RecordingParts parts = RecordingParts.All)
    {
        foreach (var s in Sessions) yield return ReadRecording(s.SessionId, parts);
    }

    /// <summary>
    /// Streams a session's spikes one row group at a time with reused buffers: bounded memory for sessions of any
    /// size. Time order and unit indices are checked as they stream.
    /// </summary>
    public IEnumerable<SpikeChunk> ReadSpikeChunks(string sessionId)
    {
        var entry = Session(sessionId);
        int unitCount = UnitsOf(sessionId).Count;
        var file = System.IO.Path.Combine(Path, entry.SpikesFile);
        var reader = ParquetIo.OpenReader(file);
        using var dispose = ParquetIo.Disposing(reader);
        var (unitField, timeField) = SpikeFields(reader, file);
        double[] times = Array.Empty<double>();
        int[] units = Array.Empty<int>();
        double last = double.NegativeInfinity;
        long seen = 0;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            int rows = (int)reader.RowGroups[g].RowCount;
            if (times.Length < rows)
            {
                times = new double[rows];
                units = new int[rows];
            }
            ParquetIo.ReadInto(reader.RowGroups[g], timeField, times.AsMemory(0, rows), file);
            ParquetIo.ReadInto(reader.RowGroups[g], unitField, units.AsMemory(0, rows), file);
            CheckSpikes(file, times.AsSpan(0, rows), units.AsSpan(0, rows), unitCount, ref last, seen);
            seen += rows;
            yield return new SpikeChunk(times.AsMemory(0, rows), units.AsMemory(0, rows));
        }
    }

    private SpikeTrain ReadSpikes(SessionEntry entry, int unitCount)
    {
        var file = System.IO.Path.Combine(Path, entry.SpikesFile);
        var reader = ParquetIo.OpenReader(file);
        using var dispose = ParquetIo.Disposing(reader);
        var (unitField, timeField) = SpikeFields(reader, file);
        long rows = ParquetIo.RowCount(reader);
        if (rows != entry.SpikeCount)
            throw new DataFormatException(file, $"holds {rows} spikes but dataset.json lists {entry.SpikeCount} (truncated or replaced?)");
        var times = ParquetIo.ReadAll<double>(reader, timeField, file);
        var units = ParquetIo.ReadAll<int>(reader, unitField, file);
        double last = double.NegativeInfinity;
        CheckSpikes(file, times, units, unitCount, ref last, 0);
        return SpikeTrain.WrapValidated(times, units, unitCount);
    }

    private static (DataField Unit, DataField Time) SpikeFields(ParquetReader reader, string file) =>
        (ParquetIo.Field(reader, DatasetLayout.UnitIndex, file), ParquetIo.Field(reader, DatasetLayout.Timestamp, file));

    private static void CheckSpikes(string file, ReadOnlySpan<double> times, ReadOnlySpan<int> units, int unitCount, ref double last, long firstRow)
    {
        for (int i = 0; i < times.Length; i++)
        {
            double t = times[i];
            if (!(t >= last) || double.IsInfinity(t))
                throw new DataFormatException(file, $"timestamp {t} is not finite or goes back in time (previous {last})", firstRow + i + 1, DatasetLayout.Timestamp);
            if ((uint)units[i] >= (uint)unitCount)
                throw new DataFormatException(file, $"unit index {units[i]} is outside the session's {unitCount} units", firstRow + i + 1, DatasetLayout.UnitIndex);
            last = t;
        }
    }

    private BehaviorSeries ReadBehavior(SessionEntry entry)
    {
        var file = System.IO.Path.Combine(Path, entry.BehaviorFile!);
        var reader = ParquetIo.OpenReader(file);
        using var dispose = ParquetIo.Disposing(reader);
        var times = ParquetIo.ReadAll<double>(reader, ParquetIo.Field(reader, DatasetLayout.Timestamp, file), file);
        var channels = entry.BehaviorChannels.Select(c => ParquetIo.ReadAll<float>(reader, ParquetIo.Field(reader, c, file), file)).ToArray();
        try
        {
            return BehaviorSeries.Wrap(times, entry.BehaviorChannels.ToArray(), channels);
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException(file, e.Message, inner: e);
        }
    }

    private CalciumTraces ReadTraces(SessionEntry entry, int unitCount)
    {
        var file = System.IO.Path.Combine(Path, entry.TracesFile!);
        var reader = ParquetIo.OpenReader(file);
        using var dispose = ParquetIo.Disposing(reader);
        var units = ParquetIo.ReadAll<int>(reader, ParquetIo.Field(reader, DatasetLayout.UnitIndex, file), file);
        var times = ParquetIo.ReadAll<double>(reader, ParquetIo.Field(reader, DatasetLayout.Timestamp, file), file);
        var values = ParquetIo.ReadAll<float>(reader, ParquetIo.Field(reader, DatasetLayout.Value, file), file);
        int frames = unitCount == 0 ? 0 : times.Length / unitCount;
        if ((long)frames * unitCount != times.Length)
            throw new DataFormatException(file, $"{times.Length} rows do not divide into {unitCount} units");
        for (int i = 0; i < units.Length; i++)
            if (units[i] != i / Math.Max(frames, 1) || times[i] != times[i % Math.Max(frames, 1)])
                throw new DataFormatException(file, "rows must be grouped by unit (0, 1, ...) with the same frame times for every unit", i + 1, DatasetLayout.UnitIndex);
        try
        {
            return new CalciumTraces(times.AsSpan(0, frames), unitCount, values);
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException(file, e.Message, inner: e);
        }
    }

    private static IReadOnlyList<DatasetUnit> ReadUnits(string file)
    {
        var reader = ParquetIo.OpenReader(file);
        using var dispose = ParquetIo.Disposing(reader);
        var sessions = ParquetIo.ReadStrings(reader, ParquetIo.Field(reader, DatasetLayout.SessionId, file), file);
        var subjects = ParquetIo.ReadStrings(reader, ParquetIo.Field(reader, DatasetLayout.SubjectId, file), file);
        var indices = ParquetIo.ReadAll<int>(reader, ParquetIo.Field(reader, DatasetLayout.UnitIndex, file), file);
        var ids = ParquetIo.ReadStrings(reader, ParquetIo.Field(reader, DatasetLayout.UnitId, file), file);
        var regions = ParquetIo.ReadStrings(reader, ParquetIo.Field(reader, DatasetLayout.BrainRegion, file), file);
        var types = ParquetIo.ReadStrings(reader, ParquetIo.Field(reader, DatasetLayout.CellType, file), file);
        var counts = ParquetIo.ReadAll<int>(reader, ParquetIo.Field(reader, DatasetLayout.SpikeCount, file), file);
        var metaFields = reader.Schema.DataFields.Where(f => !DatasetLayout.ReservedUnitColumns.Contains(f.Name)).ToArray();
        var meta = metaFields.Select(f => ParquetIo.ReadStrings(reader, f, file)).ToArray();
        var result = new DatasetUnit[sessions.Length];
        for (int i = 0; i < result.Length; i++)
        {
            if (string.IsNullOrEmpty(sessions[i]) || string.IsNullOrEmpty(ids[i]) || string.IsNullOrEmpty(subjects[i]))
                throw new DataFormatException(file, "session_id, subject_id and unit_id must not be empty", i + 1);
            Dictionary<string, string?>? metadata = null;
            for (int c = 0; c < metaFields.Length; c++)
                if (meta[c][i] is not null) (metadata ??= new())[metaFields[c].Name] = meta[c][i];
            result[i] = new DatasetUnit(sessions[i]!, subjects[i]!, indices[i], new UnitInfo(ids[i]!, regions[i], types[i], metadata), counts[i]);
        }
        return result;
    }

    private static Dictionary<string, List<Interval>> ReadIntervals(string file)
    {
        var reader = ParquetIo.OpenReader(file);
        using var dispose = ParquetIo.Disposing(reader);
        var sessions = ParquetIo.ReadStrings(reader, ParquetIo.Field(reader, DatasetLayout.SessionId, file), file);
        var starts = ParquetIo.ReadAll<double>(reader, ParquetIo.Field(reader, DatasetLayout.Start, file), file);
        var ends = ParquetIo.ReadAll<double>(reader, ParquetIo.Field(reader, DatasetLayout.End, file), file);
        var kinds = ParquetIo.ReadStrings(reader, ParquetIo.Field(reader, DatasetLayout.Kind, file), file);
        var labels = ParquetIo.ReadStrings(reader, ParquetIo.Field(reader, DatasetLayout.Label, file), file);
        var metaFields = reader.Schema.DataFields.Where(f => !DatasetLayout.ReservedIntervalColumns.Contains(f.Name)).ToArray();
        var meta = metaFields.Select(f => ParquetIo.ReadStrings(reader, f, file)).ToArray();
        var result = new Dictionary<string, List<Interval>>(StringComparer.Ordinal);
        for (int i = 0; i < sessions.Length; i++)
        {
            if (!(ends[i] >= starts[i]) || string.IsNullOrEmpty(kinds[i]))
                throw new DataFormatException(file, $"interval [{starts[i]}, {ends[i]}) of kind '{kinds[i]}' is not valid", i + 1);
            if (!result.TryGetValue(sessions[i]!, out var list)) result[sessions[i]!] = list = new List<Interval>();
            Dictionary<string, string?>? metadata = null;
            for (int c = 0; c < metaFields.Length; c++)
                if (meta[c][i] is not null) (metadata ??= new(StringComparer.Ordinal))[metaFields[c].Name] = meta[c][i];
            list.Add(new Interval(starts[i], ends[i], kinds[i]!, labels[i]) { Metadata = metadata });
        }
        return result;
    }
}
