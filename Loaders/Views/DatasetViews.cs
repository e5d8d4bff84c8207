using Microsoft.ML;
using MLNeuro.Loaders.Import;

namespace MLNeuro.Loaders.Views;

/// <summary>
/// ML.NET views of a <see cref="NeuralDataset"/>: the way into ML.NET pipelines. Views are lazy: creating one reads
/// only the small tables already in memory (plus the units.parquet schema); cursors stream spikes one session at a time.
/// </summary>
/// <example><code>
/// var mlContext = new MLContext(seed: 1);
/// var dataset = NeuralDataset.Open("data/");
/// IDataView neurons = dataset.AsNeuronView();
/// var model = mlContext.Transforms.Conversion.MapValueToKey("label", "brain_region").Fit(neurons);
/// IDataView windows = dataset.AsWindowView(new WindowViewOptions { WindowSeconds = 10, Seed = 7, IncludeSpikes = true });
/// </code></example>
public static class DatasetViews
{
    /// <summary>
    /// One row per unit: session_id, subject_id (Text), unit_index (Int32), unit_id, brain_region, cell_type (Text,
    /// empty when unknown), spike_count (Int32), duration_s, start_s, end_s (Double, the session's domain), one Text column per
    /// unit-metadata column of the dataset (empty when null; renamed "metadata.&lt;name&gt;" if it clashes with one of
    /// these names) and, with <see cref="NeuronViewOptions.IncludeSpikeTimes"/>, spike_times (variable-length vector
    /// of Double, seconds).
    /// </summary>
    /// <remarks>
    /// Row count is known. Shuffling is supported: it permutes the session order and the units within each session, so
    /// a shuffled pass still holds one session's spikes at a time. Row ids are the unit's position in stored order.
    /// </remarks>
    /// <param name="dataset">The dataset whose units become rows.</param>
    /// <param name="options">Which columns to add; null for the defaults.</param>
    /// <param name="progress">Receives, from every cursor (each pass over the view counts from 0), one report per session
    /// entered (Stage "session &lt;id&gt;", Done = rows that cursor has produced), one every 1,000 rows and one at the end
    /// (Stage "done"); Total = the view's row count.</param>
    /// <param name="cancellationToken">Checked by every cursor before each row: a cancelled enumeration throws
    /// <see cref="OperationCanceledException"/> from MoveNext.</param>
    public static IDataView AsNeuronView(this NeuralDataset dataset, NeuronViewOptions? options = null,
        IProgress<WorkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return new NeuronView(dataset, options ?? new NeuronViewOptions(), progress, cancellationToken);
    }

    /// <summary>
    /// One row per window cut from the dataset's sessions, as described by <paramref name="options"/>; see
    /// <see cref="WindowView"/> for the columns. The returned view also tells which sessions got no window.
    /// </summary>
    /// <remarks>
    /// Throws <see cref="ArgumentException"/> naming the option for invalid options (WindowSeconds &lt;= 0, a session
    /// the dataset lacks, a stride in Random mode, ...), and naming the window length and each session's longest
    /// eligible region when no selected session can hold a single window. Row ids are (window index, session position).
    /// </remarks>
    /// <param name="dataset">The dataset to cut windows from.</param>
    /// <param name="options">Window length, placement and sessions.</param>
    /// <param name="progress">Receives, from every cursor (each pass over the view counts from 0), one report per session
    /// entered (Stage "session &lt;id&gt;", Done = rows that cursor has produced), one every 1,000 rows and one at the end
    /// (Stage "done"); Total = the view's row count.</param>
    /// <param name="cancellationToken">Checked by every cursor before each row: a cancelled enumeration throws
    /// <see cref="OperationCanceledException"/> from MoveNext.</param>
    public static WindowView AsWindowView(this NeuralDataset dataset, WindowViewOptions options,
        IProgress<WorkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        return new WindowView(dataset, options, progress, cancellationToken);
    }
}
