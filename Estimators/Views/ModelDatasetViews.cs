using MLNeuro.Loaders;
using MLNeuro.Loaders.Import;

namespace MLNeuro.Estimators;

/// <summary>
/// ML.NET views of a <see cref="NeuralDataset"/> shaped for a trained model: the rows its catalog method
/// (<c>EmbedNeuronsWithNuclr</c>, <c>DecodeBehaviorWithPoyo</c>) scores. Every view has one shape: built from the
/// dataset and the model's artifact (plus the view's own options), it is a real <c>IDataView</c> whose row count
/// is exact when it is created, that reads one session at a time, reports progress from every cursor and honours
/// cancellation; and each has one method that turns its scored rows into the per-unit or per-time result.
/// </summary>
/// <example><code>
/// NuclrWindowView windows = NeuralDataset.Open("data/synth").AsNuclrWindowView(ModelArtifact.Read("nuclr.zip"));
/// </code></example>
public static class ModelDatasetViews
{
    /// <summary>
    /// One row per NuCLR evaluation window of every session with units, tiled as the artifact's sampling options say:
    /// session_id, subject_id (Text), window_index, unit_count (Int32) and counts (variable-length vector of Single,
    /// [units, patches, binsPerPatch] row-major). See <see cref="NuclrWindowView"/>. Reads no spikes until a cursor
    /// asks for counts.
    /// </summary>
    /// <param name="dataset">The units to embed.</param>
    /// <param name="artifact">A NuCLR artifact (model kind "nuclr"); only its options are used here.</param>
    /// <param name="progress">Receives, from every cursor (each pass over the view counts from 0), one report per session
    /// entered (Stage "session &lt;id&gt;", Done = windows that cursor has produced), one every 1,000 windows and one at
    /// the end (Stage "done"); Total = the view's row count.</param>
    /// <param name="cancellationToken">Checked between sessions while the view counts its windows, and by every cursor
    /// before each row: a cancelled enumeration throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="InvalidDataException">The artifact is not NuCLR or its options are invalid or disagree, or a
    /// session with units cannot hold one window (the message names the session).</exception>
    /// <example><code>
    /// var windows = dataset.AsNuclrWindowView(artifact);
    /// Console.WriteLine($"{windows.GetRowCount()} windows");
    /// </code></example>
    public static NuclrWindowView AsNuclrWindowView(this NeuralDataset dataset, ModelArtifact artifact,
        IProgress<WorkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(artifact);
        return new NuclrWindowView(dataset, NuclrEmbedder.CheckedOptions(artifact), NuclrEmbedder.Describe(artifact, "ML.NET ApplyOnnxModel"),
            progress, cancellationToken);
    }

    /// <summary>
    /// The same view from the options alone (<see cref="NuclrModelOptions.FromArtifact"/> or stored JSON), for scoring
    /// with a saved ML.NET model when the artifact itself is not at hand.
    /// </summary>
    /// <param name="dataset">The units to embed.</param>
    /// <param name="options">The options the encoder was trained with.</param>
    /// <param name="progress">Receives, from every cursor (each pass over the view counts from 0), one report per session
    /// entered (Stage "session &lt;id&gt;", Done = windows that cursor has produced), one every 1,000 windows and one at
    /// the end (Stage "done"); Total = the view's row count.</param>
    /// <param name="cancellationToken">Checked between sessions while the view counts its windows, and by every cursor
    /// before each row: a cancelled enumeration throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the exception names it).</exception>
    /// <exception cref="InvalidDataException">The options disagree, or a session with units cannot hold one window
    /// (the message names the session).</exception>
    /// <example><code>
    /// var options = JsonSerializer.Deserialize&lt;NuclrModelOptions&gt;(File.ReadAllText("nuclr-options.json"))!;
    /// var windows = dataset.AsNuclrWindowView(options);
    /// var table = windows.AverageEmbeddings(mlContext.Model.Load("nuclr-embedding.zip", out _).Transform(windows));
    /// </code></example>
    public static NuclrWindowView AsNuclrWindowView(this NeuralDataset dataset, NuclrModelOptions options,
        IProgress<WorkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        return new NuclrWindowView(dataset, options, "MLNeuro NuCLR neuron embeddings (ML.NET ApplyOnnxModel)", progress, cancellationToken);
    }

    /// <summary>
    /// One row per POYO window of every session of <paramref name="dataset"/> the artifact knows: the inputs of its ONNX
    /// graph (see <see cref="PoyoWindowView"/>). Reads no spikes until a cursor asks for a token or query column.
    /// </summary>
    /// <param name="dataset">The sessions to decode (those the model knows are used).</param>
    /// <param name="artifact">A POYO artifact.</param>
    /// <param name="options">Whole sessions or evaluation parts, and the query rate without behaviour; the defaults when null.</param>
    /// <param name="progress">Receives, from every cursor (each pass counts from 0), one report per session entered
    /// (Stage "session &lt;id&gt;"), one every 1,000 windows and one at the end (Stage "done"); Total = the row count.</param>
    /// <param name="cancellationToken">Checked between sessions while the view counts its windows, and by every cursor
    /// before each row.</param>
    /// <exception cref="ArgumentException">The dataset shares no session with the model.</exception>
    /// <exception cref="InvalidDataException">The artifact is not POYO.</exception>
    /// <example><code>
    /// PoyoWindowView windows = dataset.AsPoyoWindowView(ModelArtifact.Read("poyo.zip"));
    /// Console.WriteLine($"{windows.GetRowCount()} windows");
    /// </code></example>
    public static PoyoWindowView AsPoyoWindowView(this NeuralDataset dataset, ModelArtifact artifact, PoyoWindowViewOptions? options = null,
        IProgress<WorkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(artifact);
        return new PoyoWindowView(dataset, artifact, options ?? new PoyoWindowViewOptions(), progress, cancellationToken);
    }
}
