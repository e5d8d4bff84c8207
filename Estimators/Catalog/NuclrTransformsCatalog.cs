using Microsoft.ML;

namespace MLNeuro.Estimators;

/// <summary>MLNeuro's learned-encoder transforms on <c>mlContext.Transforms</c>: the only way in.</summary>
/// <example><code>
/// var windows = dataset.AsNuclrWindowView(artifact);
/// ITransformer model = mlContext.Transforms.EmbedNeuronsWithNuclr(artifact).Fit(windows);
/// </code></example>
public static class NuclrTransformsCatalog
{
    /// <summary>
    /// Per-unit NuCLR embeddings of each window row, scored with the artifact's ONNX graph through ML.NET's
    /// <c>ApplyOnnxModel</c> (see <see cref="NuclrEmbeddingEstimator"/>). Input: <paramref name="inputColumnName"/>, a
    /// vector of Single holding one window's [units, patches, binsPerPatch] counts flattened row-major (the
    /// <c>counts</c> column of <see cref="NuclrWindowView"/>). Output: <paramref name="outputColumnName"/>, a
    /// variable-length vector of Single holding [units, dim] flattened row-major. The fitted transformer saves and loads
    /// with <c>mlContext.Model.Save/Load</c> and runs without libtorch.
    /// </summary>
    /// <param name="catalog">The context's transforms catalog.</param>
    /// <param name="artifact">A NuCLR artifact (model kind "nuclr") with a <c>model.onnx</c> entry.</param>
    /// <param name="outputColumnName">The embedding column; default "embedding".</param>
    /// <param name="inputColumnName">The counts column; default "counts". Must differ from <paramref name="outputColumnName"/>.</param>
    /// <exception cref="InvalidDataException">The artifact is not NuCLR, has no ONNX graph or a graph without the
    /// <c>counts</c> input and <c>embedding</c> output, or its options are invalid or disagree.</exception>
    /// <exception cref="ArgumentException">A column name is empty, or both names are the same.</exception>
    /// <example><code>
    /// var artifact = ModelArtifact.Read("nuclr.zip");
    /// var windows = dataset.AsNuclrWindowView(artifact);
    /// var model = mlContext.Transforms.EmbedNeuronsWithNuclr(artifact).Fit(windows);
    /// FeatureTable table = windows.AverageEmbeddings(model.Transform(windows));
    /// </code></example>
    public static NuclrEmbeddingEstimator EmbedNeuronsWithNuclr(this TransformsCatalog catalog, ModelArtifact artifact,
        string outputColumnName = NuclrEmbeddingEstimator.Defaults.OutputColumnName,
        string inputColumnName = NuclrEmbeddingEstimator.Defaults.InputColumnName)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new NuclrEmbeddingEstimator(catalog, artifact, outputColumnName, inputColumnName);
    }
}
