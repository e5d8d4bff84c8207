namespace MLNeuro.Loaders.Import;

/// <summary>
/// Reads NWB 2.x files (HDF5, via PureHDF) into recordings and imports them into a dataset folder.
/// </summary>
/// <remarks>
/// What is read: units from <c>/units</c> in file order, each with its spikes from the ragged <c>spike_times</c> column,
/// its id (<c>/units/id</c>, else the row number), its brain region (a <c>brain_region</c> or <c>location</c> column of the
/// units table, else the <c>location</c> of its electrode in the electrodes table that the <c>table</c> attribute of
/// <c>/units/electrodes</c> references, else <c>/general/extracellular_ephys/electrodes</c>), its
/// <c>cell_type</c> column, and every other one-value-per-unit column as metadata (names that clash with units.parquet
/// columns get an "nwb_" prefix); the subject from <c>/general/subject/subject_id</c> ("unknown" when absent); the
/// session id from the argument, else <c>/identifier</c>, else <c>/general/session_id</c>, else the file name;
/// behaviour from every TimeSeries and SpatialSeries under <c>/processing/behavior</c> (series on different clocks are
/// merged onto the union of their timestamps, NaN where a series has no sample: nothing is resampled); every
/// TimeIntervals table under <c>/intervals</c> as intervals whose kind is the table name; and the event and TTL series
/// under <c>/acquisition</c> as intervals whose kind is the series name (event codes as points, TTL pulses as
/// intervals; see the README's NWB section). The recording's domain runs from the earliest to the latest event.
/// </remarks>
/// <example><code>
/// Recording r = NwbImporter.ReadRecording("sub-4_ses-4_ecephys+image.nwb");
/// NwbImporter.Import(Directory.GetFiles("nwb/", "*.nwb"), "dataset/", progress: new Progress&lt;WorkProgress&gt;(p => Console.WriteLine(p.Stage)));
/// </code></example>
public static class NwbImporter
{
    /// <summary>
    /// Reads one NWB file into a <see cref="Recording"/>. Throws <see cref="FileNotFoundException"/> when the file is
    /// missing and <see cref="DataFormatException"/> naming the file when it is not NWB, has no <c>/units</c> table, or
    /// holds bad data (e.g. a spike time that is not finite, naming the column and row).
    /// </summary>
    /// <param name="nwbFile">Path of the .nwb file.</param>
    /// <param name="sessionId">Session id to give the recording; null to take it from the file.</param>
    public static Recording ReadRecording(string nwbFile, string? sessionId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nwbFile);
        return NwbFileReader.Read(nwbFile, sessionId).Recording;
    }

    /// <summary>
    /// Imports NWB files, one session each, into a dataset folder written atomically through
    /// <see cref="DatasetWriter"/>: when any file fails (or the import is cancelled) no output folder appears. The
    /// manifest's provenance records <c>format</c> = "NWB", <c>source_files</c> and <c>nwb_version</c>, besides any
    /// entries in <paramref name="writerOptions"/> (the importer's facts win on a clash).
    /// </summary>
    /// <param name="nwbFiles">The files to import, in the order their sessions are written.</param>
    /// <param name="outputFolder">Dataset folder to create.</param>
    /// <param name="writerOptions">Overwrite, row group size and extra provenance; null for the defaults.</param>
    /// <param name="progress">Receives one report per file (Done = files finished, Total = file count) and one at the end.</param>
    /// <param name="requireSpikes">True to fail with <see cref="DataFormatException"/> naming the file, before the
    /// dataset is committed, when a session has no spikes; false (default) to import it and report it in the summary's
    /// <see cref="ImportSummary.SessionsWithoutSpikes"/>.</param>
    /// <param name="cancellationToken">Checked between files.</param>
    /// <returns>Units and spikes per session written.</returns>
    public static ImportSummary Import(IReadOnlyList<string> nwbFiles, string outputFolder, DatasetWriterOptions? writerOptions = null,
        IProgress<WorkProgress>? progress = null, bool requireSpikes = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nwbFiles);
        if (nwbFiles.Count == 0) throw new ArgumentException("no NWB files to import", nameof(nwbFiles));
        for (int i = 0; i < nwbFiles.Count; i++)
            if (string.IsNullOrWhiteSpace(nwbFiles[i])) throw new ArgumentException($"file {i} of the list is empty", nameof(nwbFiles));
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFolder);
        cancellationToken.ThrowIfCancellationRequested();

        var options = writerOptions ?? new DatasetWriterOptions();
        // The writer reads provenance only at Commit, so this dictionary can still be completed once the files are read.
        var provenance = new Dictionary<string, string>(StringComparer.Ordinal);
        using var writer = DatasetWriter.Create(outputFolder, options.WithSourceProvenance(provenance));

        var versions = new SortedSet<string>(StringComparer.Ordinal);
        var sessionFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        var sessions = new List<ImportedSession>(nwbFiles.Count);
        for (int i = 0; i < nwbFiles.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = nwbFiles[i];
            progress?.Report(new WorkProgress($"importing {Path.GetFileName(file)}", i, nwbFiles.Count));
            var (recording, version) = NwbFileReader.Read(file, sessionId: null);
            if (!sessionFiles.TryAdd(recording.SessionId, file))
                throw new DataFormatException(file,
                    $"its session id '{recording.SessionId}' is also the session id of '{sessionFiles[recording.SessionId]}'; import the two into separate datasets or give one a new /identifier");
            if (version is not null) versions.Add(version);
            sessions.Add(ImportSummary.Describe(recording, file));
            writer.WriteRecording(recording);
        }
        cancellationToken.ThrowIfCancellationRequested();
        var summary = new ImportSummary(sessions);
        summary.CheckSpikes(requireSpikes);

        provenance["format"] = "NWB";
        provenance["source_files"] = string.Join("; ", nwbFiles.Select(Path.GetFileName));
        if (versions.Count > 0) provenance["nwb_version"] = string.Join(", ", versions);
        writer.Commit();
        progress?.Report(new WorkProgress("done", nwbFiles.Count, nwbFiles.Count));
        return summary;
    }
}
