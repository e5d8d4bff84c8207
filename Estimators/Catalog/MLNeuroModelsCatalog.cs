using MLNeuro.Estimators;

// As ML.NET's extension packages do (and MLNeuro.Transforms' catalog): `using Microsoft.ML;` finds these methods.
namespace Microsoft.ML;

/// <summary>
/// MLNeuro's learned models on <c>mlContext.Transforms</c>: the way in for scoring a trained artifact inside an ML.NET
/// pipeline. Each scores the artifact's ONNX graph with ML.NET's own <c>ApplyOnnxModel</c>, so the fitted pipeline saves
/// and loads with <c>mlContext.Model.Save/Load</c> and runs without libtorch. As in ML.NET's <c>ApplyOnnxModel</c>, the
/// column names come first and the model last; the short overloads use the graph's own names. Build the input rows
/// with <see cref="ModelDatasetViews"/>.
/// </summary>
/// <example><code>
/// var artifact = ModelArtifact.Read("nuclr.zip");
/// var windows = dataset.AsNuclrWindowView(artifact);
/// ITransformer model = mlContext.Transforms.EmbedNeuronsWithNuclr("embedding", "counts", artifact).Fit(windows);
/// </code></example>
public static class MLNeuroModelsCatalog
{
    /// <summary>
    /// Per-unit NuCLR embeddings of each window row (see <see cref="NuclrEmbeddingEstimator"/>). Input: a vector of
    /// Single holding one window's [units, patches, binsPerPatch] counts flattened row-major (the <c>counts</c> column of
    /// <see cref="NuclrWindowView"/>). Output: a variable-length vector of Single holding [units, dim] flattened row-major.
    /// </summary>
    /// <param name="catalog">The context's transforms catalog.</param>
    /// <param name="outputColumnName">The embedding column, usually "embedding".</param>
    /// <param name="inputColumnName">The counts column; null for the view's "counts". Must differ from <paramref name="outputColumnName"/>.</param>
    /// <param name="artifact">A NuCLR artifact (model kind "nuclr") with a <c>model.onnx</c> entry.</param>
    /// <exception cref="InvalidDataException">The artifact is not NuCLR, has no ONNX graph or a graph without the
    /// <c>counts</c> input and <c>embedding</c> output, or its options are invalid or disagree.</exception>
    /// <exception cref="ArgumentException">A column name is empty, or both names are the same.</exception>
    /// <example><code>
    /// var model = mlContext.Transforms.EmbedNeuronsWithNuclr("embedding", null, artifact).Fit(windows);
    /// FeatureTable table = windows.AverageEmbeddings(model.Transform(windows));
    /// </code></example>
    public static NuclrEmbeddingEstimator EmbedNeuronsWithNuclr(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName,
        ModelArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new NuclrEmbeddingEstimator(catalog, artifact, outputColumnName, inputColumnName ?? NuclrEmbeddingEstimator.Defaults.InputColumnName);
    }

    /// <summary>The same with the graph's names: "embedding" from "counts".</summary>
    /// <example><code>
    /// var model = mlContext.Transforms.EmbedNeuronsWithNuclr(artifact).Fit(windows);
    /// </code></example>
    public static NuclrEmbeddingEstimator EmbedNeuronsWithNuclr(this TransformsCatalog catalog, ModelArtifact artifact) =>
        catalog.EmbedNeuronsWithNuclr(NuclrEmbeddingEstimator.Defaults.OutputColumnName, NuclrEmbeddingEstimator.Defaults.InputColumnName, artifact);

    /// <summary>
    /// Decoded behaviour of each POYO window row: [queries, channels] row-major, in the channels' units. The inputs are
    /// the graph's six token columns of <see cref="PoyoWindowView"/> (<see cref="PoyoWindowView.InputColumns"/>).
    /// </summary>
    /// <param name="catalog">The context's transforms catalog.</param>
    /// <param name="outputColumnName">The behaviour column, usually "behavior".</param>
    /// <param name="artifact">A POYO artifact with an ONNX graph.</param>
    /// <exception cref="InvalidDataException">The artifact is not POYO or carries no ONNX graph.</exception>
    /// <example><code>
    /// var model = mlContext.Transforms.DecodeBehaviorWithPoyo("decoded", artifact).Fit(windows);
    /// </code></example>
    public static IEstimator<ITransformer> DecodeBehaviorWithPoyo(this TransformsCatalog catalog, string outputColumnName, ModelArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return PoyoWindowView.Scorer(catalog, outputColumnName, artifact);
    }

    /// <summary>The same with the graph's output name, "behavior".</summary>
    /// <example><code>
    /// var model = mlContext.Transforms.DecodeBehaviorWithPoyo(artifact).Fit(windows);
    /// </code></example>
    public static IEstimator<ITransformer> DecodeBehaviorWithPoyo(this TransformsCatalog catalog, ModelArtifact artifact) =>
        catalog.DecodeBehaviorWithPoyo(PoyoWindowView.OutputColumn, artifact);
}
