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

    /// <summary>POYO spike tokens for each window (see <see cref="SpikeTokenizationEstimator"/>).</summary>
    /// <example><code>
    /// var tokens = ml.Transforms.TokenizeSpikes(new SpikeTokenizerOptions { MaxTokens = 4096 }).Fit(windows).Transform(windows);
    /// </code></example>
    public static SpikeTokenizationEstimator TokenizeSpikes(this TransformsCatalog catalog, SpikeTokenizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SpikeTokenizationEstimator(catalog, options ?? new SpikeTokenizerOptions());
    }
}
