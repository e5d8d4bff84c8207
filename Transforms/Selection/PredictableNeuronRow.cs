using System.ComponentModel;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Transforms;

/// <summary>
/// Input row of <see cref="PredictableNeuronEstimator"/>: the neuron view's columns (with
/// <c>IncludeSpikeTimes = true</c>) plus the persisted options. Public only because ML.NET's CustomMapping needs it.
/// </summary>
/// <example><code>
/// // Not used directly: ml.Transforms.SelectPredictableNeurons() reads these columns from the neuron view.
/// IDataView neurons = dataset.AsNeuronView(new NeuronViewOptions { IncludeSpikeTimes = true });
/// </code></example>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PredictableNeuronRow
{
    /// <summary>The unit's spike times, absolute seconds in the session's time base.</summary>
    [ColumnName(ViewColumnNames.SpikeTimes)] public VBuffer<double> SpikeTimes;

    /// <summary>Start of the session's domain, seconds.</summary>
    [ColumnName(ViewColumnNames.StartSeconds)] public double Start;

    /// <summary>End of the session's domain, seconds.</summary>
    [ColumnName(ViewColumnNames.EndSeconds)] public double End;

    /// <summary>The persisted options (JSON).</summary>
    [ColumnName(PersistedOptions.Column)] public string Options = "";

    private static readonly (string Name, DataViewType Type)[] Columns =
    {
        (ViewColumnNames.SpikeTimes, new VectorDataViewType(NumberDataViewType.Double)),
        (ViewColumnNames.StartSeconds, NumberDataViewType.Double),
        (ViewColumnNames.EndSeconds, NumberDataViewType.Double),
    };

    internal static void Check(DataViewSchema schema, string transform)
    {
        foreach (var (name, type) in Columns) SchemaChecks.Require(schema, name, type, transform);
    }

    internal static void Check(SchemaShape schema, string transform)
    {
        foreach (var (name, type) in Columns) SchemaChecks.Require(schema, name, type, transform);
    }
}
