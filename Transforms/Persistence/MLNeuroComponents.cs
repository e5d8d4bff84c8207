using Microsoft.ML;

namespace MLNeuro.Transforms;

/// <summary>
/// Makes MLNeuro's transforms loadable: call <see cref="Register"/> on the <see cref="MLContext"/> that loads a saved
/// model (<c>mlContext.Model.Load</c>) before loading it, so ML.NET can find MLNeuro's mapping factories.
/// </summary>
/// <example><code>
/// var ml = new MLContext();
/// MLNeuroComponents.Register(ml);
/// ITransformer model = ml.Model.Load("model.zip", out var schema);
/// </code></example>
public static class MLNeuroComponents
{
    /// <summary>Registers the MLNeuro.Transforms assembly with the context's component catalog (idempotent).</summary>
    public static void Register(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        mlContext.ComponentCatalog.RegisterAssembly(typeof(MLNeuroComponents).Assembly);
    }
}
