using System.ComponentModel;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Transforms;

/// <summary>
/// Input row of the transforms that work on one window of spikes (binning, tokenization): the window view's columns
/// with <c>IncludeSpikes = true</c> (the spike pair copied in under MLNeuro's fixed names, see <see cref="SpikeColumns"/>),
/// plus the persisted options. Public only because ML.NET's CustomMapping needs it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class WindowSpikesRow
{
    /// <summary>Spike times relative to the window start, seconds.</summary>
    [ColumnName(MappingColumns.InSpikeTimes)] public VBuffer<double> SpikeTimes;

    /// <summary>Unit index of each spike.</summary>
    [ColumnName(MappingColumns.InSpikeUnits)] public VBuffer<int> SpikeUnits;

    /// <summary>Population size of the window's session.</summary>
    [ColumnName(ViewColumnNames.UnitCount)] public int UnitCount;

    /// <summary>Window start, seconds.</summary>
    [ColumnName(ViewColumnNames.StartSeconds)] public double Start;

    /// <summary>Window end, seconds.</summary>
    [ColumnName(ViewColumnNames.EndSeconds)] public double End;

    /// <summary>The persisted options (JSON).</summary>
    [ColumnName(PersistedOptions.Column)] public string Options = "";

    /// <summary>
    /// The columns a transform over window rows reads from the user's data, the spike pair named by
    /// <paramref name="stem"/>, bound to this row, with the transform's outputs.
    /// </summary>
    internal static ColumnBindings Bind(string stem, params (string Mapping, string Output)[] outputs) => new(
        [
            (SpikeColumns.Times(stem), new VectorDataViewType(NumberDataViewType.Double)),
            (SpikeColumns.Units(stem), new VectorDataViewType(NumberDataViewType.Int32)),
            (ViewColumnNames.UnitCount, NumberDataViewType.Int32),
            (ViewColumnNames.StartSeconds, NumberDataViewType.Double),
            (ViewColumnNames.EndSeconds, NumberDataViewType.Double),
        ],
        [(SpikeColumns.Times(stem), MappingColumns.InSpikeTimes), (SpikeColumns.Units(stem), MappingColumns.InSpikeUnits)],
        outputs);

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
