using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;
using MLNeuro.Transforms;

namespace MLNeuro.Estimators;

/// <summary>
/// Scores NuCLR neuron embeddings inside an ML.NET pipeline with a trained artifact's ONNX graph. Reached through
/// <c>mlContext.Transforms.EmbedNeuronsWithNuclr(artifact)</c>; the usual input is a
/// <see cref="NuclrWindowView"/>, and <see cref="NuclrWindowView.AverageEmbeddings"/> turns the scored windows into
/// the per-unit table <see cref="NuclrEmbedder.Embed"/> returns.
/// </summary>
/// <remarks>
/// <para>Input column (default <c>counts</c>): a vector of Single (variable length) holding one window's
/// [units, patches, binsPerPatch] spike counts flattened row-major, with patches and bins per patch as in the
/// artifact's encoder (<see cref="NuclrEncoderOptions.PatchCount"/>, <see cref="NuclrEncoderOptions.BinsPerPatch"/>);
/// the unit count may differ from row to row. Output column (default <c>embedding</c>): a vector of Single (variable
/// length) holding [units, <see cref="NuclrEncoderOptions.Dim"/>] flattened row-major, unit u's embedding at
/// [u * Dim, (u + 1) * Dim). Artifacts written since populations exist also read a <c>unit_group</c> column (vector of
/// Single, one value per unit, as <see cref="NuclrWindowView"/> writes it: units sharing a value g &gt;= 0 are embedded
/// together, -1 leaves a unit out and gives it zeros); its name is fixed. Every other column passes through.</para>
/// <para>Nothing is learned at Fit: it checks the input column and returns ML.NET's own ONNX transformer
/// (<c>ApplyOnnxModel</c>) built from the artifact's <c>model.onnx</c>, its graph input and output renamed to the chosen
/// column names. The fitted transformer therefore saves and loads with <c>mlContext.Model.Save/Load</c> (the graph
/// travels inside the model zip), needs no MLNeuro registration to load and no libtorch to run.</para>
/// </remarks>
/// <example><code>
/// var artifact = ModelArtifact.Read("nuclr.zip");
/// var windows = dataset.AsNuclrWindowView(artifact);
/// ITransformer model = mlContext.Transforms.EmbedNeuronsWithNuclr(artifact).Fit(windows);
/// mlContext.Model.Save(model, windows.Schema, "nuclr-embedding.zip");
/// FeatureTable table = windows.AverageEmbeddings(model.Transform(windows));
/// </code></example>
public sealed class NuclrEmbeddingEstimator : IEstimator<ITransformer>
{
    private const string Name = "EmbedNeuronsWithNuclr";

    /// <summary>Defaults of <see cref="Microsoft.ML.MLNeuroModelsCatalog.EmbedNeuronsWithNuclr(Microsoft.ML.TransformsCatalog, ModelArtifact)"/>: the names of the ONNX graph's own input and output.</summary>
    /// <example><code>
    /// var scored = model.Transform(windows).GetColumn&lt;float[]&gt;(NuclrEmbeddingEstimator.Defaults.OutputColumnName);
    /// </code></example>
    public static class Defaults
    {
        /// <summary>Input column of window counts: "counts" (the column <see cref="NuclrWindowView"/> and <c>BinSpikes</c> produce).</summary>
        /// <example><code>
        /// var pipeline = mlContext.Transforms.CopyColumns(NuclrEmbeddingEstimator.Defaults.InputColumnName, "binned_counts");
        /// </code></example>
        public const string InputColumnName = "counts";

        /// <summary>Output column of per-unit embeddings: "embedding".</summary>
        /// <example><code>
        /// FeatureTable table = windows.AverageEmbeddings(scored, NuclrEmbeddingEstimator.Defaults.OutputColumnName);
        /// </code></example>
        public const string OutputColumnName = "embedding";
    }

    private readonly OnnxScoringEstimator _onnx;
    private readonly VectorDataViewType _inputType = new(NumberDataViewType.Single);
    private readonly bool _grouped;

    internal NuclrEmbeddingEstimator(TransformsCatalog catalog, ModelArtifact artifact, string outputColumnName, string inputColumnName)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        if (outputColumnName == inputColumnName)
            throw new ArgumentException($"{Name}: outputColumnName and inputColumnName are both '{inputColumnName}'; the embedding needs a column of its own", nameof(outputColumnName));
        byte[] graph;
        try
        {
            ModelOptions = NuclrEmbedder.CheckedOptions(artifact);
            graph = NuclrEmbedder.OnnxBytes(artifact);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{Name} needs a NuCLR artifact with a model.onnx: {e.Message}", e);
        }
        var (inputs, outputs) = OnnxRenaming.InputsAndOutputs(graph);
        // Older artifacts: counts only; newer: counts and the population of every unit.
        _grouped = inputs.SequenceEqual(new[] { Defaults.InputColumnName, NuclrEncoder.GroupInputName });
        if (!_grouped && !inputs.SequenceEqual(new[] { Defaults.InputColumnName }))
            throw new InvalidDataException($"the NuCLR artifact's model.onnx must have the inputs '{Defaults.InputColumnName}' (and '{NuclrEncoder.GroupInputName}'), but it has [{string.Join(", ", inputs)}]");
        if (_grouped && inputColumnName == NuclrEncoder.GroupInputName)
            throw new ArgumentException($"{Name}: inputColumnName '{inputColumnName}' is the name of the graph's population input", nameof(inputColumnName));
        if (!outputs.Contains(Defaults.OutputColumnName))
            throw new InvalidDataException($"the NuCLR artifact's model.onnx has no output '{Defaults.OutputColumnName}' (outputs: {string.Join(", ", outputs)})");
        graph = OnnxRenaming.Rename(graph, new Dictionary<string, string>
        {
            [Defaults.InputColumnName] = inputColumnName,
            [Defaults.OutputColumnName] = outputColumnName,
        });
        InputColumnName = inputColumnName;
        OutputColumnName = outputColumnName;
        // ML.NET copies the graph out of the stream here; the transformer is built once and returned by every Fit.
        using var stream = new MemoryStream(graph, writable: false);
        var inputColumns = _grouped ? new[] { inputColumnName, NuclrEncoder.GroupInputName } : new[] { inputColumnName };
        _onnx = catalog.ApplyOnnxModel(new[] { outputColumnName }, inputColumns, stream);
    }

    /// <summary>The artifact's options (checked): the window shape the input must have and the embedding size.</summary>
    /// <example><code>
    /// int dim = mlContext.Transforms.EmbedNeuronsWithNuclr(artifact).ModelOptions.Encoder.Dim;
    /// </code></example>
    public NuclrModelOptions ModelOptions { get; }

    /// <summary>The column of window counts read.</summary>
    /// <example><code>
    /// string input = estimator.InputColumnName;   // "counts" unless chosen otherwise
    /// </code></example>
    public string InputColumnName { get; }

    /// <summary>The column of per-unit embeddings written.</summary>
    /// <example><code>
    /// float[][] embeddings = model.Transform(windows).GetColumn&lt;float[]&gt;(estimator.OutputColumnName).ToArray();
    /// </code></example>
    public string OutputColumnName { get; }

    /// <summary>
    /// Checks that the input has the counts column as a vector of Single and returns ML.NET's fitted ONNX transformer
    /// (an <see cref="OnnxTransformer"/>). Throws <see cref="ArgumentException"/> naming the column when it is
    /// missing or of another type.
    /// </summary>
    /// <example><code>
    /// ITransformer model = mlContext.Transforms.EmbedNeuronsWithNuclr(artifact).Fit(windows);
    /// </code></example>
    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        SchemaChecks.Require(input.Schema, InputColumnName, _inputType, Name);
        if (_grouped) SchemaChecks.Require(input.Schema, NuclrEncoder.GroupInputName, _inputType, Name);
        return _onnx.Fit(input);
    }

    /// <summary>The input columns plus the embedding column (vector of Single); the input column is checked as in <see cref="Fit"/>.</summary>
    /// <example><code>
    /// SchemaShape output = estimator.GetOutputSchema(SchemaShape.Create(windows.Schema));
    /// </code></example>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaChecks.Require(inputSchema, InputColumnName, _inputType, Name);
        if (_grouped) SchemaChecks.Require(inputSchema, NuclrEncoder.GroupInputName, _inputType, Name);
        return _onnx.GetOutputSchema(inputSchema);
    }
}
