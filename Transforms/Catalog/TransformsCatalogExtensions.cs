using Microsoft.ML;

namespace MLNeuro.Transforms;

/// <summary>MLNeuro's transforms on <c>mlContext.Transforms</c>: the only way in.</summary>
public static class TransformsCatalogExtensions
{
    /// <summary>Spike counts per unit and time bin for each window (see <see cref="SpikeBinningEstimator"/>).</summary>
    /// <example><code>
    /// var binned = ml.Transforms.BinSpikes(new SpikeBinningOptions { BinSeconds = 0.02 }).Fit(windows).Transform(windows);
    /// </code></example>
    public static SpikeBinningEstimator BinSpikes(this TransformsCatalog catalog, SpikeBinningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SpikeBinningEstimator(catalog, options ?? new SpikeBinningOptions());
    }
}
