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
    /// whole domain [start, end).
    /// </summary>
    public static FeatureTable FromDataset(NeuralDataset dataset, NeuronFeatureOptions options,
        IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        var names = NeuronFeatures.Names(options);
        var rows = new List<DatasetUnit>(dataset.Units.Count);
        var features = new float[(long)dataset.Units.Count * names.Count];
        int done = 0;
        foreach (var session in dataset.Sessions)
        {
            ct.ThrowIfCancellationRequested();
            progress?.Report(new ImportProgress("computing features", done, dataset.Sessions.Count));
            var recording = dataset.ReadRecording(session.SessionId, RecordingParts.Spikes);
            var block = NeuronFeatures.ComputeAll(recording, options, ct);
            block.CopyTo(features, (long)rows.Count * names.Count);
            for (int u = 0; u < recording.Units.Count; u++)
                rows.Add(new DatasetUnit(session.SessionId, session.SubjectId, u, recording.Units[u], 0));
            done++;
        }
        progress?.Report(new ImportProgress("computing features", done, dataset.Sessions.Count));

        return FeatureTable.ForUnits(rows, features, names, $"MLNeuro handcrafted neuron features of {Path.GetFullPath(dataset.Path)}");
    }
}
