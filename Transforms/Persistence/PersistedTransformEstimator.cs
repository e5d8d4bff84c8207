using Microsoft.ML;
using Microsoft.ML.Data;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Transforms;

/// <summary>
/// Base of MLNeuro's stateless estimators: fitting checks the input schema (errors name the column and the expected
/// type) and returns the persisted-options chain (see <c>PersistedOptions</c>), which saves and loads with
/// <c>mlContext.Model.Save/Load</c>. Derived estimators differ only in their input row, output row, options and mapping.
/// </summary>
/// <typeparam name="TInput">The mapping's input row (for example <see cref="WindowSpikesRow"/> or <see cref="NeuronSpikesRow"/>).</typeparam>
/// <typeparam name="TOutput">The mapping's output row.</typeparam>
/// <typeparam name="TOptions">The options persisted with the model.</typeparam>
/// <example><code>
/// PersistedTransformEstimator&lt;NeuronSpikesRow, NeuronFeatureMapping.Output, NeuronFeatureOptions&gt; estimator = ml.Transforms.ExtractNeuronFeatures("features");
/// ITransformer model = estimator.Fit(neurons);
/// </code></example>
public abstract class PersistedTransformEstimator<TInput, TOutput, TOptions> : IEstimator<PersistedTransformer<TOptions>>
    where TInput : class, new()
    where TOutput : class, new()
    where TOptions : class
{
    private readonly TransformsCatalog _transforms;
    private readonly TOptions _options;
    private readonly string _name;
    private readonly string _contract;
    private readonly ColumnBindings _columns;
    private readonly Action<TInput, TOutput> _mapping;

    /// <param name="transforms">The catalog that builds the persisted chain.</param>
    /// <param name="options">The options to persist.</param>
    /// <param name="validateOptions">Checks the options (throwing errors that name the option); called first, so bad options fail when the estimator is created.</param>
    /// <param name="name">Transform name used in error messages (the catalog method's name).</param>
    /// <param name="contract">The mapping factory's contract name.</param>
    /// <param name="columns">The user's input columns (checked at fit time and copied into the mapping) and output names.</param>
    /// <param name="mapping">The row mapping (the factory's delegate).</param>
    private protected PersistedTransformEstimator(TransformsCatalog transforms, TOptions options, Action validateOptions, string name, string contract,
        ColumnBindings columns, Action<TInput, TOutput> mapping)
    {
        validateOptions();
        _transforms = transforms;
        _options = options;
        _name = name;
        _contract = contract;
        _columns = columns;
        _mapping = mapping;
    }

    /// <summary>Checks the input schema (errors name the column and the expected type) and returns the fitted transformer, whose settings are readable.</summary>
    /// <example><code>
    /// ITransformer model = ml.Transforms.BinSpikes("counts").Fit(windows);
    /// </code></example>
    public PersistedTransformer<TOptions> Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        SchemaChecks.RequireAll(input.Schema, _columns.Required, _name);
        return new PersistedTransformer<TOptions>(Chain().Fit(input), _options);
    }

    /// <summary>The output schema for an input schema, checked as in <see cref="Fit"/>.</summary>
    /// <example><code>
    /// SchemaShape output = ml.Transforms.BinSpikes("counts").GetOutputSchema(inputShape); // as ML.NET's estimator chains call it
    /// </code></example>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaChecks.RequireAll(inputSchema, _columns.Required, _name);
        return Chain().GetOutputSchema(inputSchema);
    }

    private IEstimator<ITransformer> Chain() =>
        PersistedOptions.Chain(_transforms, _options, ViewColumnNames.StartSeconds, _contract, _mapping, _columns);
}
