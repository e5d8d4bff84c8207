using System.ComponentModel;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Transforms;

/// <summary>
/// Input row of the transforms that work on one unit's whole spike train (neuron features): the neuron view's columns
/// with <c>IncludeSpikeTimes = true</c>, plus the persisted options. Public only because ML.NET's CustomMapping needs it.
/// </summary>
/// <example><code>
/// IDataView neurons = dataset.AsNeuronView(new NeuronViewOptions { IncludeSpikeTimes = true }); // has these columns
/// </code></example>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class NeuronSpikesRow
{
    /// <summary>The unit's spike times, absolute seconds in the session's time base, ascending.</summary>
    [ColumnName(ViewColumnNames.SpikeTimes)] public VBuffer<double> SpikeTimes;

    /// <summary>Start of the session's domain, seconds.</summary>
    [ColumnName(ViewColumnNames.StartSeconds)] public double Start;

    /// <summary>End (exclusive) of the session's domain, seconds.</summary>
    [ColumnName(ViewColumnNames.EndSeconds)] public double End;

    /// <summary>The persisted options (JSON).</summary>
    [ColumnName(PersistedOptions.Column)] public string Options = "";

    /// <summary>The input columns this row reads, with their types (the options column is added by the chain).</summary>
    internal static readonly (string Name, DataViewType Type)[] Columns =
    {
        (ViewColumnNames.SpikeTimes, new VectorDataViewType(NumberDataViewType.Double)),
        (ViewColumnNames.StartSeconds, NumberDataViewType.Double),
        (ViewColumnNames.EndSeconds, NumberDataViewType.Double),
    };

    internal static void Check(DataViewSchema schema, string transform) => SchemaChecks.RequireAll(schema, Columns, transform);

    internal static void Check(SchemaShape schema, string transform) => SchemaChecks.RequireAll(schema, Columns, transform);

    /// <summary>The spike times as a span; a sparse buffer (never produced by the views) is densified, not misread.</summary>
    internal ReadOnlySpan<double> Times() =>
        SpikeTimes.IsDense ? SpikeTimes.GetValues() : SpikeTimes.DenseValues().ToArray();
}
