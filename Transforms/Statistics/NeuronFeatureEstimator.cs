using Microsoft.ML;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Transforms;

/// <summary>
/// Computes <see cref="NeuronFeatures"/> for each unit of the neuron view: the handcrafted cell-identity baseline as an
/// ML.NET step, so standard trainers can consume it directly. Reached through
/// <c>mlContext.Transforms.ExtractNeuronFeatures(options)</c>.
/// </summary>
/// <remarks>
/// <para>Input columns (the neuron view's, with <c>IncludeSpikeTimes = true</c>): <c>{stem}_times</c> (stem "spike"
/// unless inputColumnName names another; variable-length vector of Double, absolute seconds, ascending), <c>start_s</c>
/// and <c>end_s</c> (Double, the session's domain, which is the observation window of every feature). Output column:
/// the output column (default <c>features</c>), a vector of exactly
/// <see cref="FeatureCount"/> Single values, in the order of <c>NeuronFeatures.Names(options)</c>.</para>
/// <para>The size is fixed because ML.NET persists a custom mapping's vector size only through the compile-time
/// <c>[VectorType(N)]</c> of its output class. So only options that keep the default layout's length are accepted: bin
/// widths, thresholds and <see cref="NeuronFeatureOptions.MaxDegreeOfParallelism"/> may change; the number of Fano
/// windows, ISI histogram bins, log ACG bins, or narrow/wide ACG bins (max lag / bin width) may not. For other lengths use
/// <see cref="NeuronFeatures.ComputeAll"/> or <see cref="NeuronFeatureTable"/>.</para>
/// <para><see cref="NeuronFeatureOptions.IntervalKind"/> must stay null: the neuron view's rows carry the session's
/// domain but not its intervals, so the estimator refuses interval-restricted options (naming the option) rather than
/// silently computing over the whole domain. Use <see cref="NeuronFeatureTable"/> or <see cref="NeuronFeatures.ComputeAll"/>
/// for those. A null IntervalKind is not written into the persisted options, so models saved before the option existed
/// load unchanged.</para>
/// <para>The feature names are not attached as ML.NET slot names (a custom mapping cannot save them): get them with
/// <c>NeuronFeatures.Names(options)</c>.</para>
/// <para>Stateless: fitting only checks the schema. The fitted transformer saves and loads with
/// <c>mlContext.Model.Save/Load</c> (call <see cref="MLNeuroComponents.Register"/> on the loading context). A row whose
/// spikes are unsorted or outside [start_s, end_s) fails with an <see cref="InvalidOperationException"/> when read.</para>
/// </remarks>
/// <example><code>
/// var neurons = dataset.AsNeuronView(new NeuronViewOptions { IncludeSpikeTimes = true });
/// var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", "cell_type")
///     .Append(ml.Transforms.ExtractNeuronFeatures("features"))
///     .Append(ml.Transforms.NormalizeMeanVariance("features"))
///     .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("Label", "features"));
/// var model = pipeline.Fit(neurons);
/// </code></example>
public sealed class NeuronFeatureEstimator : PersistedTransformEstimator<NeuronSpikesRow, NeuronFeatureMapping.Output, NeuronFeatureOptions>
{
    /// <summary>The usual output column of the feature vector: "features".</summary>
    /// <example><code>
    /// var normalize = ml.Transforms.NormalizeMeanVariance(NeuronFeatureEstimator.FeaturesColumn);
    /// </code></example>
    public const string FeaturesColumn = "features";

    /// <summary>
    /// Length of the output vector: the default options' layout (2 rates, few_spikes, 6 ISI/ACG scalars, 2 moments,
    /// 2 Fano factors, 20 ISI bins, 50 narrow, 50 wide and 20 log ACG bins).
    /// </summary>
    /// <example><code>
    /// var columns = new string[NeuronFeatureEstimator.FeatureCount];
    /// </code></example>
    public const int FeatureCount = 153;

    internal NeuronFeatureEstimator(TransformsCatalog transforms, string outputColumnName, string inputColumnName, NeuronFeatureOptions options)
        : base(transforms, options, () => CheckOptions(options), "ExtractNeuronFeatures", NeuronFeatureMapping.ContractName,
            NeuronSpikesRow.Bind(inputColumnName, (NeuronFeatureMapping.FeaturesColumn, ColumnBindings.CheckName(outputColumnName, nameof(outputColumnName)))),
            NeuronFeatureMapping.Map)
    {
    }

    private static void CheckOptions(NeuronFeatureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        NeuronFeatureFixedLength.Check(new NeuronFeatureLayout(options), FeatureCount);
        if (options.IntervalKind is { } kind)
            throw new ArgumentException(
                $"ExtractNeuronFeatures computes each row's features over its [start_s, end_s) and the neuron view carries no intervals, " +
                $"so IntervalKind '{kind}' cannot be honoured here; compute interval-restricted features with NeuronFeatureTable.FromDataset " +
                "or NeuronFeatures.ComputeAll (mlneuro features --intervals), or leave IntervalKind null", nameof(NeuronFeatureOptions.IntervalKind));
    }
}
