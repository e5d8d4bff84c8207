using MLNeuro.Loaders;
using MLNeuro.Loaders.Import;

namespace MLNeuro.Transforms;

/// <summary>
/// The handcrafted-feature baseline as a <see cref="FeatureTable"/>: one row per unit of a dataset with its labels
/// (unit_id, session_id, subject_id, brain_region, cell_type and every unit-metadata column) and the
/// <see cref="NeuronFeatures"/> vector. What <c>mlneuro features</c> writes and <c>mlneuro probe</c> reads.
/// </summary>
/// <example><code>
/// var table = NeuronFeatureTable.FromDataset(NeuralDataset.Open("data/synth"), new NeuronFeatureOptions());
/// table.Write("features.parquet");
/// </code></example>
public static class NeuronFeatureTable
{
    /// <summary>
    /// Computes the features of every unit, reading one session at a time. Each unit's features cover its session's
    /// whole domain [start, end), or, when <see cref="NeuronFeatureOptions.IntervalKind"/> is set, its session's
    /// intervals of that kind only (see <see cref="NeuronFeatures"/>).
    /// </summary>
    /// <exception cref="ArgumentException"><see cref="NeuronFeatureOptions.IntervalKind"/> is set and a session has no
    /// interval of that kind or zero total interval length; checked for every session before any spike is read, and the
    /// message names the session and the kind.</exception>
    public static FeatureTable FromDataset(NeuralDataset dataset, NeuronFeatureOptions options,
        IProgress<WorkProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        var names = NeuronFeatures.Names(options);
        if (options.IntervalKind is { } kind)
        {
            // Intervals are loaded with the dataset index: fail before minutes of computing, not at the last session.
            var layout = new NeuronFeatureLayout(options);
            foreach (var session in dataset.Sessions)
                FeatureIntervals.ForSession(session.SessionId, dataset.IntervalsOf(session.SessionId), kind, layout);
        }
        var rows = new List<DatasetUnit>(dataset.Units.Count);
        var features = new float[(long)dataset.Units.Count * names.Count];
        int done = 0;
        foreach (var session in dataset.Sessions)
        {
            ct.ThrowIfCancellationRequested();
            progress?.Report(new WorkProgress("computing features", done, dataset.Sessions.Count));
            var recording = dataset.ReadRecording(session.SessionId, RecordingParts.Spikes);
            var block = NeuronFeatures.ComputeAll(recording, options, ct);
            block.CopyTo(features, (long)rows.Count * names.Count);
            for (int u = 0; u < recording.Units.Count; u++)
                rows.Add(new DatasetUnit(session.SessionId, session.SubjectId, u, recording.Units[u], 0));
            done++;
        }
        progress?.Report(new WorkProgress("computing features", done, dataset.Sessions.Count));

        var within = options.IntervalKind is null ? "" : $" within intervals of kind '{options.IntervalKind}'";
        return FeatureTable.ForUnits(rows, features, names, $"MLNeuro handcrafted neuron features of {Path.GetFullPath(dataset.Path)}{within}");
    }
}
