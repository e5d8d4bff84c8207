using Microsoft.ML;

namespace MLNeuro.Transforms;

/// <summary>MLNeuro's predictable-neuron selection and augmentations on <c>mlContext.Transforms</c>.</summary>
/// <example><code>
/// var flagged = ml.Transforms.SelectPredictableNeurons().Fit(neurons).Transform(neurons);
/// var augmented = ml.Transforms.DropUnits(seed: 1).Append(ml.Transforms.JitterSpikes(seed: 1)).Fit(windows).Transform(windows);
/// </code></example>
public static class SelectionAndAugmentationCatalog
{
    /// <summary>
    /// Flags predictable neurons in the neuron view (see <see cref="PredictableNeuronEstimator"/>); default options:
    /// Thresholds mode, skewness &lt;= 3.51, kurtosis &lt;= 22.62, 20 ms bins, at least 10 spikes. Throws
    /// <see cref="ArgumentOutOfRangeException"/> naming a bad option.
    /// </summary>
    /// <example><code>
    /// var model = ml.Transforms.SelectPredictableNeurons(new PredictableNeuronOptions { Mode = PredictableNeuronMode.Quantile }).Fit(neurons);
    /// var kept = ml.Data.FilterRowsByColumn(model.Transform(neurons), "predictable_flag", 0.5, 1.5);
    /// </code></example>
    public static PredictableNeuronEstimator SelectPredictableNeurons(this TransformsCatalog catalog, PredictableNeuronOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new PredictableNeuronEstimator(catalog, options ?? new PredictableNeuronOptions());
    }

    /// <summary>
    /// Unit dropout on each window row (see <see cref="UnitDropoutEstimator"/>); default options keep a uniform 50-100%
    /// of the units. Each row's draw is fixed by (<paramref name="seed"/>, session_id, window_index): use another seed
    /// for another epoch of augmentations. Throws <see cref="ArgumentOutOfRangeException"/> naming a bad option.
    /// </summary>
    /// <example><code>
    /// var dropped = ml.Transforms.DropUnits(new UnitDropoutOptions { MinKeepFraction = 0.7 }, seed: 1).Fit(windows).Transform(windows);
    /// </code></example>
    public static UnitDropoutEstimator DropUnits(this TransformsCatalog catalog, UnitDropoutOptions? options = null, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new UnitDropoutEstimator(catalog, options ?? new UnitDropoutOptions(), seed);
    }

    /// <summary>
    /// Spike-time jitter on each window row (see <see cref="SpikeJitterEstimator"/>); default options: Gaussian, 1 ms SD.
    /// Each row's draw is fixed by (<paramref name="seed"/>, session_id, window_index): use another seed for another
    /// epoch of augmentations. Throws <see cref="ArgumentOutOfRangeException"/> naming a bad option.
    /// </summary>
    /// <example><code>
    /// var jittered = ml.Transforms.JitterSpikes(new SpikeJitterOptions { JitterSeconds = 0.002 }, seed: 1).Fit(windows).Transform(windows);
    /// </code></example>
    public static SpikeJitterEstimator JitterSpikes(this TransformsCatalog catalog, SpikeJitterOptions? options = null, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SpikeJitterEstimator(catalog, options ?? new SpikeJitterOptions(), seed);
    }
}
