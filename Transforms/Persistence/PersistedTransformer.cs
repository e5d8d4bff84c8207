using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNeuro.Transforms;

/// <summary>
/// What an MLNeuro estimator's <c>Fit</c> returns: the fitted transform, with the settings it applies readable as
/// <see cref="Options"/> (for <c>SelectPredictableNeurons</c> in quantile mode, the thresholds it learned). It scores
/// and saves as the built-in ML.NET chain inside it (see docs/design.md, 'Saving transforms'), so a model loaded back
/// with <c>mlContext.Model.Load</c> is that chain: identical output, without the typed <see cref="Options"/>.
/// </summary>
/// <typeparam name="TOptions">The settings the transform applies.</typeparam>
/// <example><code>
/// var selection = ml.Transforms.SelectPredictableNeurons("predictable", options: new PredictableNeuronOptions { Mode = PredictableNeuronMode.Quantile }).Fit(neurons);
/// Console.WriteLine($"skewness &lt;= {selection.Options.MaxSkewness}, kurtosis &lt;= {selection.Options.MaxKurtosis}");
/// </code></example>
public sealed class PersistedTransformer<TOptions> : ITransformer where TOptions : class
{
    private readonly ITransformer _fitted;

    internal PersistedTransformer(ITransformer fitted, TOptions options)
    {
        _fitted = fitted;
        Options = options;
    }

    /// <summary>The settings the transform applies (learned ones included).</summary>
    public TOptions Options { get; }

    /// <inheritdoc />
    public bool IsRowToRowMapper => _fitted.IsRowToRowMapper;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _fitted.GetOutputSchema(inputSchema);

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _fitted.GetRowToRowMapper(inputSchema);

    /// <inheritdoc />
    public IDataView Transform(IDataView input) => _fitted.Transform(input);

    /// <summary>Saves the built-in chain that does the work: outside code cannot register a transformer of its own.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => _fitted.Save(ctx);
}
