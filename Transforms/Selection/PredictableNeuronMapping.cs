using System.ComponentModel;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MLNeuro.Transforms;

/// <summary>The saved form of <see cref="PredictableNeuronEstimator"/>: ML.NET finds this factory by its contract name at load time.</summary>
/// <example><code>
/// MLNeuroComponents.Register(ml); // makes this factory findable before ml.Model.Load
/// </code></example>
[CustomMappingFactoryAttribute(ContractName)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PredictableNeuronMapping : CustomMappingFactory<NeuronSpikesRow, PredictableNeuronMapping.Output>
{
    internal const string ContractName = "MLNeuro.SelectPredictableNeurons.v2";
    internal const string SkewnessColumn = MappingColumns.Out + "skewness", KurtosisColumn = MappingColumns.Out + "kurtosis",
        PredictableColumn = MappingColumns.Out + "predictable", FlagColumn = MappingColumns.Out + "predictable_flag";

    /// <inheritdoc />
    public override Action<NeuronSpikesRow, Output> GetMapping() => Map;

    internal static void Map(NeuronSpikesRow input, Output output)
    {
        var options = PersistedOptions.Read<PredictableNeuronModelOptions>(input.Options);
        var unit = SingleUnitMeasure.Measure(input.SpikeTimes.DenseValues().ToArray(), input.Start, input.End, options);
        output.Skewness = (float)unit.Skewness;
        output.Kurtosis = (float)unit.Kurtosis;
        output.Predictable = unit.IsPredictable;
        output.PredictableFlag = unit.IsPredictable ? 1f : 0f;
    }

    /// <summary>Output row.</summary>
    /// <example><code>
    /// // Read through the view: ml.Data.CreateEnumerable&lt;YourRow&gt;(flagged, false) with [ColumnName("predictable")] etc.
    /// </code></example>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed class Output
    {
        /// <summary>Skewness of the binned activity (NaN when undefined).</summary>
        [ColumnName(SkewnessColumn)] public float Skewness;

        /// <summary>Excess kurtosis of the binned activity (NaN when undefined).</summary>
        [ColumnName(KurtosisColumn)] public float Kurtosis;

        /// <summary>Whether the unit is predictable.</summary>
        [ColumnName(PredictableColumn)] public bool Predictable;

        /// <summary>1 when predictable, else 0.</summary>
        [ColumnName(FlagColumn)] public float PredictableFlag;
    }
}
