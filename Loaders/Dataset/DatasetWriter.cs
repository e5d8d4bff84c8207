using System.Reflection;
using System.Text.Json;
using Parquet;
using Parquet.Schema;
using MLNeuro.Loaders.IO;

namespace MLNeuro.Loaders;

/// <summary>
/// Writes a dataset folder atomically: everything goes to a hidden temporary folder beside the target, and
/// <see cref="Commit"/> renames it into place. Disposing without committing (an exception, Ctrl-C) deletes the
/// temporary folder and leaves any existing dataset untouched; a killed run's temporary folder is swept by the next
/// write to the same target. With <see cref="DatasetWriterOptions.Overwrite"/> only an MLNeuro dataset (a folder
/// holding dataset.json) or an empty folder is replaced, never a file or another folder. Sessions are written one at
/// a time and spikes stream in row groups, so memory stays bounded by one row group.
/// </summary>
/// <example><code>
/// using (var writer = DatasetWriter.Create("out/", new DatasetWriterOptions { Overwrite = true }))
/// {
///     foreach (var recording in recordings) writer.WriteRecording(recording);
///     writer.Commit();
/// }
/// </code></example>
public sealed class DatasetWriter : IDisposable
{
    private readonly StagingFolder _staging;
    private readonly string _temp;
    private readonly DatasetWriterOptions _options;
    private readonly List<SessionEntry> _sessions = new();
    private readonly List<UnitRow> _units = new();
    private readonly List<(string Session, Interval Interval)> _intervals = new();
    private readonly HashSet<string> _stems = new(StringComparer.OrdinalIgnoreCase);
    private SessionWriter? _open;
    private bool _committed;

    private DatasetWriter(StagingFolder staging, DatasetWriterOptions options)
    {
        _staging = staging;
        _options = options;
        _temp = staging.Path;
        Directory.CreateDirectory(Path.Combine(_temp, DatasetLayout.SpikesFolder));
    }

    /// <summary>
    /// Starts a dataset at <paramref name="path"/>. Throws <see cref="IOException"/> (checked now, so no work is wasted)
    /// when the path is a file, when the folder exists and <see cref="DatasetWriterOptions.Overwrite"/> is off, or when
    /// it is a non-empty folder that is not an MLNeuro dataset.
    /// </summary>
    public static DatasetWriter Create(string path, DatasetWriterOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new DatasetWriterOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RowGroupSize, 1, nameof(options.RowGroupSize));
        return new DatasetWriter(StagingFolder.Begin(path, OutputTargets.Dataset, options.Overwrite), options);
    }

    /// <summary>The folder the dataset appears at after <see cref="Commit"/>.</summary>
    public string TargetPath => _staging.Target;

    /// <summary>Row group size for spike files.</summary>
    internal int RowGroupSize => _options.RowGroupSize;

    /// <summary>Compression of per-session files.</summary>
    internal DatasetCompression Compression => _options.Compression;

    /// <summary>Writes a whole recording as one session.</summary>
    public void WriteRecording(Recording recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        using var session = BeginSession(recording.SessionId, recording.SubjectId, recording.Units);
        var t = recording.Spikes.Timestamps;
        var u = recording.Spikes.UnitIndices;
        for (int i = 0; i < t.Length; i += RowGroupSize)
        {
            int n = Math.Min(RowGroupSize, t.Length - i);
            session.AppendSpikes(t.Slice(i, n), u.Slice(i, n));
        }
        if (recording.Behavior is not null) session.SetBehavior(recording.Behavior);
        if (recording.Traces is not null) session.SetTraces(recording.Traces);
        session.AddIntervals(recording.Intervals);
        session.Complete(recording.StartSeconds, recording.EndSeconds);
    }

    /// <summary>
    /// Opens a session for streaming writes; only one session is open at a time. Throws when the session id was
    /// already written.
    /// </summary>
    public SessionWriter BeginSession(string sessionId, string subjectId, UnitTable units)
    {
        ThrowIfDone();
        if (_open is not null) throw new InvalidOperationException($"session '{_open.SessionId}' is still open; complete it first");
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectId);
        ArgumentNullException.ThrowIfNull(units);
        if (_sessions.Any(s => s.SessionId == sessionId))
            throw new ArgumentException($"session '{sessionId}' was already written to this dataset", nameof(sessionId));
        foreach (var column in units.MetadataColumns)
            if (DatasetLayout.ReservedUnitColumns.Contains(column))
                throw new ArgumentException($"session '{sessionId}': unit metadata column '{column}' clashes with a column of units.parquet; rename it", nameof(units));
        var stem = DatasetLayout.FileStem(sessionId);
        for (int k = 2; !_stems.Add(stem); k++) stem = $"{DatasetLayout.FileStem(sessionId)}-{k}";
        _open = new SessionWriter(this, _temp, stem, sessionId, subjectId, units);
        return _open;
    }

    internal void OnSessionCompleted(SessionWriter session, SessionEntry entry, int[] spikeCounts, IEnumerable<Interval> intervals)
    {
        _sessions.Add(entry);
        for (int i = 0; i < session.Units.Count; i++)
            _units.Add(new UnitRow(entry.SessionId, entry.SubjectId, i, session.Units[i], spikeCounts[i]));
        foreach (var interval in intervals) _intervals.Add((entry.SessionId, interval));
        _open = null;
    }

    internal void OnSessionAbandoned() => _open = null;

    /// <summary>Writes the units, intervals and manifest, then moves the dataset into place (replacing the old one when allowed).</summary>
    public void Commit()
    {
        ThrowIfDone();
        if (_open is not null) throw new InvalidOperationException($"session '{_open.SessionId}' was not completed");
        WriteUnits();
        WriteIntervals();
        WriteManifest();
        _staging.Publish();
        _committed = true;
    }

    private void WriteUnits()
    {
        var metadataColumns = _units.SelectMany(u => u.Unit.Metadata?.Keys ?? Enumerable.Empty<string>())
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var sessionField = new DataField<string>(DatasetLayout.SessionId, false);
        var subjectField = new DataField<string>(DatasetLayout.SubjectId, false);
        var indexField = new DataField<int>(DatasetLayout.UnitIndex);
        var idField = new DataField<string>(DatasetLayout.UnitId, false);
        var regionField = new DataField<string>(DatasetLayout.BrainRegion, true);
        var typeField = new DataField<string>(DatasetLayout.CellType, true);
        var countField = new DataField<int>(DatasetLayout.SpikeCount);
        var metaFields = metadataColumns.Select(c => new DataField<string>(c, true)).ToArray();
        var schema = new ParquetSchema(new Field[] { sessionField, subjectField, indexField, idField, regionField, typeField, countField }.Concat(metaFields).ToArray());
        using var stream = File.Create(Path.Combine(_temp, DatasetLayout.UnitsFile));
        var writer = ParquetIo.CreateWriter(schema, stream);
        using var disposeWriter = ParquetIo.Disposing(writer);
        using (var group = writer.CreateRowGroup())
        {
            ParquetIo.WriteStrings(group, sessionField, _units.Select(u => u.Session).ToArray());
            ParquetIo.WriteStrings(group, subjectField, _units.Select(u => u.Subject).ToArray());
            ParquetIo.Write<int>(group, indexField, _units.Select(u => u.Index).ToArray());
            ParquetIo.WriteStrings(group, idField, _units.Select(u => u.Unit.UnitId).ToArray());
            ParquetIo.WriteStrings(group, regionField, _units.Select(u => u.Unit.BrainRegion).ToArray());
            ParquetIo.WriteStrings(group, typeField, _units.Select(u => u.Unit.CellType).ToArray());
            ParquetIo.Write<int>(group, countField, _units.Select(u => u.SpikeCount).ToArray());
            for (int c = 0; c < metaFields.Length; c++)
                ParquetIo.WriteStrings(group, metaFields[c], _units.Select(u => u.Unit.GetMetadata(metadataColumns[c])).ToArray());
        }
    }

    private void WriteIntervals()
    {
        var sessionField = new DataField<string>(DatasetLayout.SessionId, false);
        var startField = new DataField<double>(DatasetLayout.Start);
        var endField = new DataField<double>(DatasetLayout.End);
        var kindField = new DataField<string>(DatasetLayout.Kind, false);
        var labelField = new DataField<string>(DatasetLayout.Label, true);
        var metadataColumns = _intervals.SelectMany(i => i.Interval.Metadata?.Keys ?? Enumerable.Empty<string>())
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var metaFields = metadataColumns.Select(c => new DataField<string>(c, true)).ToArray();
        var schema = new ParquetSchema(new Field[] { sessionField, startField, endField, kindField, labelField }.Concat(metaFields).ToArray());
        using var stream = File.Create(Path.Combine(_temp, DatasetLayout.IntervalsFile));
        var writer = ParquetIo.CreateWriter(schema, stream);
        using var disposeWriter = ParquetIo.Disposing(writer);
        using var group = writer.CreateRowGroup();
        ParquetIo.WriteStrings(group, sessionField, _intervals.Select(i => i.Session).ToArray());
        ParquetIo.Write<double>(group, startField, _intervals.Select(i => i.Interval.Start).ToArray());
        ParquetIo.Write<double>(group, endField, _intervals.Select(i => i.Interval.End).ToArray());
        ParquetIo.WriteStrings(group, kindField, _intervals.Select(i => i.Interval.Kind).ToArray());
        ParquetIo.WriteStrings(group, labelField, _intervals.Select(i => i.Interval.Label).ToArray());
        for (int c = 0; c < metaFields.Length; c++)
            ParquetIo.WriteStrings(group, metaFields[c], _intervals.Select(i => i.Interval.GetMetadata(metadataColumns[c])).ToArray());
    }

    private void WriteManifest()
    {
        var manifest = new DatasetManifest
        {
            CreatedUtc = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            Writer = $"MLNeuro {typeof(DatasetWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?"}",
            Provenance = _options.Provenance?.ToDictionary() ?? new Dictionary<string, string>(),
            Sessions = _sessions,
        };
        File.WriteAllText(Path.Combine(_temp, DatasetLayout.ManifestFile), JsonSerializer.Serialize(manifest, DatasetManifest.JsonOptions));
    }

    private void ThrowIfDone()
    {
        if (_committed) throw new InvalidOperationException("the dataset was already committed");
    }

    /// <summary>Deletes the temporary folder unless the dataset was committed.</summary>
    public void Dispose()
    {
        if (_committed) return;
        _open?.Abandon();
        _staging.Dispose();
        _committed = true;
    }

    private sealed record UnitRow(string Session, string Subject, int Index, UnitInfo Unit, int SpikeCount);
}
