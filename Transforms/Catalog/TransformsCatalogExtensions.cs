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

    /// <summary>
    /// Handcrafted identity features of each unit of the neuron view, as a fixed-length Single vector
    /// (see <see cref="NeuronFeatureEstimator"/>; names from <c>NeuronFeatures.Names(options)</c>).
    /// </summary>
    /// <param name="catalog">The context's transforms catalog.</param>
    /// <param name="options">Feature settings; the defaults when null. Options that change the vector length are rejected.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid (the exception names it).</exception>
    /// <exception cref="ArgumentException">The options change the vector length (the message names the options).</exception>
    /// <example><code>
    /// var neurons = dataset.AsNeuronView(new NeuronViewOptions { IncludeSpikeTimes = true });
    /// var features = ml.Transforms.ExtractNeuronFeatures().Fit(neurons).Transform(neurons);
    /// </code></example>
    public static NeuronFeatureEstimator ExtractNeuronFeatures(this TransformsCatalog catalog, NeuronFeatureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new NeuronFeatureEstimator(catalog, options ?? new NeuronFeatureOptions());
    }
}
