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
    [ColumnName(MappingColumns.InSpikeTimes)] public VBuffer<double> SpikeTimes;

    /// <summary>Start of the session's domain, seconds.</summary>
    [ColumnName(ViewColumnNames.StartSeconds)] public double Start;

    /// <summary>End (exclusive) of the session's domain, seconds.</summary>
    [ColumnName(ViewColumnNames.EndSeconds)] public double End;

    /// <summary>The persisted options (JSON).</summary>
    [ColumnName(PersistedOptions.Column)] public string Options = "";

    /// <summary>
    /// The columns a transform over neuron rows reads from the user's data (the spike times of the pair named by
    /// <paramref name="stem"/>, start_s, end_s), bound to this row, with the transform's outputs.
    /// </summary>
    internal static ColumnBindings Bind(string stem, params (string Mapping, string Output)[] outputs) => new(
        [
            (SpikeColumns.Times(stem), new VectorDataViewType(NumberDataViewType.Double)),
            (ViewColumnNames.StartSeconds, NumberDataViewType.Double),
            (ViewColumnNames.EndSeconds, NumberDataViewType.Double),
        ],
        [(SpikeColumns.Times(stem), MappingColumns.InSpikeTimes)],
        outputs);

    /// <summary>The spike times as a span; a sparse buffer (never produced by the views) is densified, not misread.</summary>
    internal ReadOnlySpan<double> Times() =>
        SpikeTimes.IsDense ? SpikeTimes.GetValues() : SpikeTimes.DenseValues().ToArray();
}
