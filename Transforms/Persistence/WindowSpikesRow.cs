using System.ComponentModel;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Transforms;

/// <summary>
/// Input row of the transforms that work on one window of spikes (binning, tokenization): the window view's columns
/// with <c>IncludeSpikes = true</c>, plus the persisted options. Public only because ML.NET's CustomMapping needs it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class WindowSpikesRow
{
    /// <summary>Spike times relative to the window start, seconds.</summary>
    [ColumnName(ViewColumnNames.SpikeTimes)] public VBuffer<double> SpikeTimes;

    /// <summary>Unit index of each spike.</summary>
    [ColumnName(ViewColumnNames.SpikeUnits)] public VBuffer<int> SpikeUnits;

    /// <summary>Population size of the window's session.</summary>
    [ColumnName(ViewColumnNames.UnitCount)] public int UnitCount;

    /// <summary>Window start, seconds.</summary>
    [ColumnName(ViewColumnNames.StartSeconds)] public double Start;

    /// <summary>Window end, seconds.</summary>
    [ColumnName(ViewColumnNames.EndSeconds)] public double End;

    /// <summary>The persisted options (JSON).</summary>
    [ColumnName(PersistedOptions.Column)] public string Options = "";

    /// <summary>The input columns this row reads, with their types (the options column is added by the chain).</summary>
    internal static readonly (string Name, DataViewType Type)[] Columns =
    {
        (ViewColumnNames.SpikeTimes, new VectorDataViewType(NumberDataViewType.Double)),
        (ViewColumnNames.SpikeUnits, new VectorDataViewType(NumberDataViewType.Int32)),
        (ViewColumnNames.UnitCount, NumberDataViewType.Int32),
        (ViewColumnNames.StartSeconds, NumberDataViewType.Double),
        (ViewColumnNames.EndSeconds, NumberDataViewType.Double),
    };

    internal static void Check(DataViewSchema schema, string transform) => SchemaChecks.RequireAll(schema, Columns, transform);

    internal static void Check(SchemaShape schema, string transform) => SchemaChecks.RequireAll(schema, Columns, transform);

    /// <summary>The row's spikes as a train on [0, window length), checked (sorted, unit indices in range).</summary>
    internal Loaders.SpikeTrain ToSpikeTrain(string transform) => ToSpikeTrain(SpikeTimes, SpikeUnits, UnitCount, transform);

    /// <summary>
    /// A window row's spikes as a train on [0, window length): checked for equal lengths, unit indices inside the
    /// population and time order, with errors that name the transform. Shared by every input row over windows.
    /// </summary>
    internal static Loaders.SpikeTrain ToSpikeTrain(VBuffer<double> spikeTimes, VBuffer<int> spikeUnits, int unitCount, string transform)
    {
        // The views produce dense buffers; a sparse one (from user code) is densified rather than misread.
        ReadOnlySpan<double> times = spikeTimes.IsDense ? spikeTimes.GetValues() : spikeTimes.DenseValues().ToArray();
        ReadOnlySpan<int> units = spikeUnits.IsDense ? spikeUnits.GetValues() : spikeUnits.DenseValues().ToArray();
        if (times.Length != units.Length)
            throw new InvalidOperationException($"{transform}: {times.Length} spike times but {units.Length} spike units in a row");
        foreach (var u in units)
            if ((uint)u >= (uint)unitCount) throw new InvalidOperationException($"{transform}: spike unit index {u} is outside the window's {unitCount} units");
        return Loaders.SpikeTrain.FromSorted(times, units, unitCount);
    }
}
