using MLNeuro.Transforms;

// ML.NET's own extension packages (LightGbm, TorchSharp, OnnxTransformer) put their catalog methods in this namespace,
// so that `using Microsoft.ML;` is enough to find them on mlContext.Transforms. MLNeuro's catalogs do the same.
namespace Microsoft.ML;

/// <summary>
/// MLNeuro's CPU transforms on <c>mlContext.Transforms</c>: the way in. Every method follows ML.NET's signature rule,
/// <c>(outputColumnName, inputColumnName = null, options...)</c>. A pair of spike columns is named by its stem
/// (<c>{stem}_times</c>, <c>{stem}_units</c>; the views write the stem "spike", see <see cref="SpikeColumns"/>); a
/// transform with several outputs names the others <c>{output}_{part}</c>. So two binnings (or a binning of jittered
/// and of original spikes) live side by side in one pipeline. Fitted transformers save and load with
/// <c>mlContext.Model.Save/Load</c> (call <see cref="MLNeuroComponents.Register"/> on the loading context).
/// </summary>
/// <example><code>
/// var pipeline = ml.Transforms.BinSpikes("counts_20ms", options: new SpikeBinningOptions { BinSeconds = 0.02 })
///     .Append(ml.Transforms.BinSpikes("counts_100ms", options: new SpikeBinningOptions { BinSeconds = 0.1 }));
/// IDataView binned = pipeline.Fit(windows).Transform(windows);
/// </code></example>
public static class MLNeuroTransformsCatalog
{
    /// <summary>
    /// Spike counts per unit and time bin for each window of the window view (see <see cref="SpikeBinningEstimator"/>).
    /// </summary>
    /// <param name="catalog">The context's transforms catalog.</param>
    /// <param name="outputColumnName">The counts column (row-major units x bins); also written: <c>{output}_bin_count</c>
    /// and <c>{output}_patch_count</c>.</param>
    /// <param name="inputColumnName">Stem of the spike pair to bin; null for the views' "spike".</param>
    /// <param name="options">Bin width and patch size; the defaults (20 ms, no patches) when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid (the exception names it).</exception>
    /// <example><code>
    /// var binned = ml.Transforms.BinSpikes("counts", options: new SpikeBinningOptions { BinSeconds = 0.02 }).Fit(windows).Transform(windows);
    /// </code></example>
    public static SpikeBinningEstimator BinSpikes(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        SpikeBinningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SpikeBinningEstimator(catalog, outputColumnName, inputColumnName ?? SpikeColumns.DefaultStem, options ?? new SpikeBinningOptions());
    }

    /// <summary>POYO spike tokens for each window (see <see cref="SpikeTokenizationEstimator"/>).</summary>
    /// <param name="catalog">The context's transforms catalog.</param>
    /// <param name="outputColumnName">Stem of the token columns (<c>{stem}_units</c>, <c>{stem}_times</c>, <c>{stem}_types</c>,
    /// <c>{stem}_vocabulary</c>, <c>{stem}_dropped_spikes</c>), usually "token".</param>
    /// <param name="inputColumnName">Stem of the spike pair to tokenize; null for the views' "spike".</param>
    /// <param name="options">Token cap and start/end tokens; the defaults when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid (the exception names it).</exception>
    /// <example><code>
    /// var tokens = ml.Transforms.TokenizeSpikes("token", options: new SpikeTokenizerOptions { MaxTokens = 4096 }).Fit(windows).Transform(windows);
    /// </code></example>
    public static SpikeTokenizationEstimator TokenizeSpikes(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        SpikeTokenizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SpikeTokenizationEstimator(catalog, outputColumnName, inputColumnName ?? SpikeColumns.DefaultStem, options ?? new SpikeTokenizerOptions());
    }

    /// <summary>
    /// Handcrafted identity features of each unit of the neuron view, as a fixed-length Single vector
    /// (see <see cref="NeuronFeatureEstimator"/>; names from <c>NeuronFeatures.Names(options)</c>).
    /// </summary>
    /// <param name="catalog">The context's transforms catalog.</param>
    /// <param name="outputColumnName">The feature vector column, usually "features".</param>
    /// <param name="inputColumnName">Stem of the spike-times column (<c>{stem}_times</c>); null for the view's "spike".</param>
    /// <param name="options">Feature settings; the defaults when null. Options that change the vector length are rejected.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid (the exception names it).</exception>
    /// <exception cref="ArgumentException">The options change the vector length (the message names the options).</exception>
    /// <example><code>
    /// var neurons = dataset.AsNeuronView(new NeuronViewOptions { IncludeSpikeTimes = true });
    /// var features = ml.Transforms.ExtractNeuronFeatures("features").Fit(neurons).Transform(neurons);
    /// </code></example>
    public static NeuronFeatureEstimator ExtractNeuronFeatures(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        NeuronFeatureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new NeuronFeatureEstimator(catalog, outputColumnName, inputColumnName ?? SpikeColumns.DefaultStem, options ?? new NeuronFeatureOptions());
    }

    /// <summary>
    /// Flags predictable neurons in the neuron view (see <see cref="PredictableNeuronEstimator"/>); default options:
    /// Thresholds mode, skewness &lt;= 3.51, kurtosis &lt;= 22.62, 20 ms bins, at least 10 spikes.
    /// </summary>
    /// <param name="catalog">The context's transforms catalog.</param>
    /// <param name="outputColumnName">The verdict column (Boolean), usually "predictable"; also written:
    /// <c>{output}_flag</c>, <c>{output}_skewness</c>, <c>{output}_kurtosis</c>.</param>
    /// <param name="inputColumnName">Stem of the spike-times column; null for the view's "spike".</param>
    /// <param name="options">Selection rule; the defaults when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid (the exception names it).</exception>
    /// <example><code>
    /// var model = ml.Transforms.SelectPredictableNeurons("predictable", options: new PredictableNeuronOptions { Mode = PredictableNeuronMode.Quantile }).Fit(neurons);
    /// var kept = ml.Data.FilterRowsByColumn(model.Transform(neurons), "predictable_flag", 0.5, 1.5);
    /// </code></example>
    public static PredictableNeuronEstimator SelectPredictableNeurons(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        PredictableNeuronOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new PredictableNeuronEstimator(catalog, outputColumnName, inputColumnName ?? SpikeColumns.DefaultStem, options ?? new PredictableNeuronOptions());
    }

    /// <summary>
    /// Unit dropout on each window row (see <see cref="UnitDropoutEstimator"/>); default options keep a uniform 50-100%
    /// of the units. Each row's draw is fixed by (<paramref name="seed"/>, session_id, window_index): use another seed
    /// for another epoch of augmentations.
    /// </summary>
    /// <param name="catalog">The context's transforms catalog.</param>
    /// <param name="outputColumnName">Stem of the output spike pair ("spike" replaces the input in place); also written:
    /// <c>{stem}_kept_units</c>.</param>
    /// <param name="inputColumnName">Stem of the spike pair read; null for the output stem.</param>
    /// <param name="options">Keep fraction distribution; the defaults when null.</param>
    /// <param name="seed">Seed of every row's draw.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid (the exception names it).</exception>
    /// <example><code>
    /// var dropped = ml.Transforms.DropUnits("spike", options: new UnitDropoutOptions { MinKeepFraction = 0.7 }, seed: 1).Fit(windows).Transform(windows);
    /// </code></example>
    public static UnitDropoutEstimator DropUnits(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        UnitDropoutOptions? options = null, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new UnitDropoutEstimator(catalog, outputColumnName, inputColumnName ?? outputColumnName, options ?? new UnitDropoutOptions(), seed);
    }

    /// <summary>
    /// Spike-time jitter on each window row (see <see cref="SpikeJitterEstimator"/>); default options: Gaussian, 1 ms SD.
    /// Each row's draw is fixed by (<paramref name="seed"/>, session_id, window_index): use another seed for another
    /// epoch of augmentations.
    /// </summary>
    /// <param name="catalog">The context's transforms catalog.</param>
    /// <param name="outputColumnName">Stem of the output spike pair ("spike" replaces the input in place).</param>
    /// <param name="inputColumnName">Stem of the spike pair read; null for the output stem.</param>
    /// <param name="options">Jitter distribution and width; the defaults when null.</param>
    /// <param name="seed">Seed of every row's draw.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid (the exception names it).</exception>
    /// <example><code>
    /// var jittered = ml.Transforms.JitterSpikes("jittered", "spike", new SpikeJitterOptions { JitterSeconds = 0.002 }, seed: 1).Fit(windows).Transform(windows);
    /// </code></example>
    public static SpikeJitterEstimator JitterSpikes(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        SpikeJitterOptions? options = null, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SpikeJitterEstimator(catalog, outputColumnName, inputColumnName ?? outputColumnName, options ?? new SpikeJitterOptions(), seed);
    }
}
