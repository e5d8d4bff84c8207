using Microsoft.ML;
using Microsoft.ML.Data;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Transforms;

/// <summary>
/// Base of the stateless estimators over window rows (<see cref="WindowSpikesRow"/>): fitting checks the input schema
/// and returns the persisted-options chain, which saves and loads with <c>mlContext.Model.Save/Load</c>.
/// </summary>
/// <typeparam name="TOutput">The mapping's output row.</typeparam>
/// <typeparam name="TOptions">The options persisted with the model.</typeparam>
public abstract class WindowTransformEstimator<TOutput, TOptions> : IEstimator<ITransformer>
    where TOutput : class, new()
    where TOptions : class
{
    private readonly TransformsCatalog _transforms;
    private readonly TOptions _options;
    private readonly string _name;
    private readonly string _contract;
    private readonly Action<WindowSpikesRow, TOutput> _mapping;

    private protected WindowTransformEstimator(TransformsCatalog transforms, TOptions options, string name, string contract,
        Action<WindowSpikesRow, TOutput> mapping)
    {
        _transforms = transforms;
        _options = options;
        _name = name;
        _contract = contract;
        _mapping = mapping;
    }

    /// <summary>Checks the input schema (errors name the column and the expected type) and returns the fitted transformer.</summary>
    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        WindowSpikesRow.Check(input.Schema, _name);
        return Chain().Fit(input);
    }

    /// <summary>The output schema for an input schema, checked as in <see cref="Fit"/>.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        WindowSpikesRow.Check(inputSchema, _name);
        return Chain().GetOutputSchema(inputSchema);
    }

    private IEstimator<ITransformer> Chain() =>
        PersistedOptions.Chain<WindowSpikesRow, TOutput, TOptions>(_transforms, _options, ViewColumnNames.StartSeconds, _contract, _mapping);
}
