namespace MLNeuro.Loaders.Import;

/// <summary>
/// Imports spike recordings from CSV files (RFC 4180: header row, comma separator, optional double quotes, numbers in
/// invariant culture, times in seconds). One <see cref="Recording"/> per session, sessions in order of first appearance
/// in units.csv; each recording's domain runs from its earliest to its latest event.
/// </summary>
/// <remarks>
/// <para><b>units.csv</b>: <c>unit_id</c> required; <c>session_id</c>, <c>subject_id</c>, <c>brain_region</c>,
/// <c>cell_type</c> optional; every other column is kept as string metadata (empty cell = null). Metadata columns
/// may not be named <c>unit_index</c> or <c>spike_count</c> (the dataset adds those). Unit ids are unique within a
/// session; all units of a session share one subject. Units without spikes are kept.</para>
/// <para><b>spikes.csv</b>: <c>unit_id</c>, <c>timestamp</c> required; <c>session_id</c> optional, and required
/// when units.csv has several sessions whose unit ids repeat. Rows may be in any order; equal timestamps are legal
/// (binned counts written as events). Each spike's unit must be in units.csv for its session.</para>
/// <para><b>behaviour</b> (optional): <c>timestamp</c> required, <c>session_id</c> optional (required with several
/// sessions); every other column is a float channel (empty cell = NaN). Rows are sorted by time.</para>
/// <para><b>intervals</b> (optional, e.g. trials.csv): <c>start</c> and <c>stop</c> (or <c>end</c>) required;
/// <c>session_id</c> as for behaviour; <c>kind</c> (default "trial") and <c>label</c> optional; other columns are
/// ignored.</para>
/// <para>Blank lines are skipped. Bad input throws <see cref="DataFormatException"/> naming the file, the 1-based data
/// row and the column; a missing file throws <see cref="FileNotFoundException"/>.</para>
/// </remarks>
/// <example><code>
/// CsvImporter.Import(new CsvImportOptions { UnitsFile = "units.csv", SpikesFile = "spikes.csv", IntervalsFile = "trials.csv" },
///     "data/steinmetz", new DatasetWriterOptions { Overwrite = true });
/// </code></example>
public static class CsvImporter
{
    /// <summary>The value of the "format" provenance entry of datasets imported from CSV.</summary>
    public const string FormatName = "CSV";

    /// <summary>
    /// Reads the files into recordings, one per session. Progress reports the bytes read of the spikes file
    /// (stage "reading &lt;file name&gt;").
    /// </summary>
    public static IReadOnlyList<Recording> Read(CsvImportOptions options, IProgress<WorkProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.UnitsFile, nameof(options.UnitsFile));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.SpikesFile, nameof(options.SpikesFile));
        ct.ThrowIfCancellationRequested();
        string sessionId = string.IsNullOrWhiteSpace(options.SessionId) ? Path.GetFileNameWithoutExtension(options.SpikesFile) : options.SessionId;
        string subjectId = string.IsNullOrWhiteSpace(options.SubjectId) ? "unknown" : options.SubjectId;

        var sessions = CsvUnitsFile.Read(options.UnitsFile, sessionId, subjectId, ct);
        CsvSpikesFile.Read(options.SpikesFile, sessions, progress, ct);
        if (options.BehaviorFile is not null) CsvBehaviorFile.Read(options.BehaviorFile, sessions, ct);
        if (options.IntervalsFile is not null) CsvIntervalsFile.Read(options.IntervalsFile, sessions, ct);
        ct.ThrowIfCancellationRequested();
        return sessions.All.Select(s => s.Builder.Build()).ToArray();
    }

    /// <summary>
    /// Reads the files and writes them as a dataset folder, atomically: on any failure (bad input, cancellation) no
    /// output folder appears. Provenance records the source file names and "format": "CSV" (entries of
    /// <paramref name="writerOptions"/>' provenance are added; the source's facts win on a clash). Progress reports the spikes file's
    /// bytes, then each session written (stage "writing session &lt;id&gt;").
    /// </summary>
    /// <param name="options">The files and default ids.</param>
    /// <param name="outputFolder">Dataset folder to create.</param>
    /// <param name="writerOptions">Overwrite, row group size and extra provenance; null for the defaults.</param>
    /// <param name="progress">Receives the reading and writing stages.</param>
    /// <param name="requireSpikes">True to fail with <see cref="DataFormatException"/> naming the spikes file, before
    /// anything is written, when a session ends up with no spikes; false (default) to import it and report it in the
    /// summary's <see cref="ImportSummary.SessionsWithoutSpikes"/>.</param>
    /// <param name="ct">Checked while reading and between sessions.</param>
    /// <returns>Units and spikes per session written.</returns>
    public static ImportSummary Import(CsvImportOptions options, string outputFolder, DatasetWriterOptions? writerOptions = null,
        IProgress<WorkProgress>? progress = null, bool requireSpikes = false, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFolder);
        // Create the writer first: it refuses an existing output folder before minutes of reading are spent.
        using var writer = DatasetWriter.Create(outputFolder, WithProvenance(options, writerOptions));
        var recordings = Read(options, progress, ct);
        var summary = new ImportSummary(recordings.Select(r => ImportSummary.Describe(r, options.SpikesFile)).ToArray());
        summary.CheckSpikes(requireSpikes);
        for (int i = 0; i < recordings.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            progress?.Report(new WorkProgress($"writing session {recordings[i].SessionId}", i, recordings.Count));
            writer.WriteRecording(recordings[i]);
        }
        ct.ThrowIfCancellationRequested();
        writer.Commit();
        progress?.Report(new WorkProgress("done", recordings.Count, recordings.Count));
        return summary;
    }

    private static DatasetWriterOptions WithProvenance(CsvImportOptions options, DatasetWriterOptions? writerOptions)
    {
        var provenance = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = FormatName,
            ["units_file"] = Path.GetFileName(options.UnitsFile),
            ["spikes_file"] = Path.GetFileName(options.SpikesFile),
        };
        if (options.BehaviorFile is not null) provenance["behavior_file"] = Path.GetFileName(options.BehaviorFile);
        if (options.IntervalsFile is not null) provenance["intervals_file"] = Path.GetFileName(options.IntervalsFile);
        return (writerOptions ?? new DatasetWriterOptions()).WithSourceProvenance(provenance);
    }
}
