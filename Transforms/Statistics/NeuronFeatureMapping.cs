using System.ComponentModel;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MLNeuro.Transforms;

/// <summary>The saved form of <see cref="NeuronFeatureEstimator"/>: ML.NET finds this factory by its contract name at load time.</summary>
/// <example><code>
/// MLNeuroComponents.Register(ml); // makes this factory findable before ml.Model.Load
/// </code></example>
[CustomMappingFactoryAttribute(ContractName)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class NeuronFeatureMapping : CustomMappingFactory<NeuronSpikesRow, NeuronFeatureMapping.Output>
{
    internal const string ContractName = "MLNeuro.ExtractNeuronFeatures.v2";
    internal const string FeaturesColumn = MappingColumns.Out + "features";
    private const string Name = "ExtractNeuronFeatures";

    /// <inheritdoc />
    public override Action<NeuronSpikesRow, Output> GetMapping() => Map;

    internal static void Map(NeuronSpikesRow input, Output output)
    {
        var options = PersistedOptions.Read<NeuronFeatureOptions>(input.Options);
        var editor = VBufferEditor.Create(ref output.Features, NeuronFeatureEstimator.FeatureCount);
        try
        {
            NeuronFeatures.Compute(input.Times(), input.Start, input.End, options, editor.Values);
        }
        catch (ArgumentException e)
        {
            // Bad rows surface inside an ML.NET cursor, far from the caller: say which transform and which row.
            throw new InvalidOperationException($"{Name}: cannot compute features of a unit over [{input.Start}, {input.End}) s: {e.Message}", e);
        }
        output.Features = editor.Commit();
    }

    /// <summary>Output row.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed class Output
    {
        /// <summary>The feature vector; its size is fixed at compile time because ML.NET persists no runtime vector size.</summary>
        [ColumnName(FeaturesColumn)]
        [VectorType(NeuronFeatureEstimator.FeatureCount)]
        public VBuffer<float> Features;
    }
}
