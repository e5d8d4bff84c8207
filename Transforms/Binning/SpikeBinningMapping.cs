using System.ComponentModel;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MLNeuro.Transforms;

/// <summary>The saved form of <see cref="SpikeBinningEstimator"/>: ML.NET finds this factory by its contract name at load time.</summary>
[CustomMappingFactoryAttribute(ContractName)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class SpikeBinningMapping : CustomMappingFactory<WindowSpikesRow, SpikeBinningMapping.Output>
{
    internal const string ContractName = "MLNeuro.BinSpikes.v2";
    internal const string CountsColumn = MappingColumns.Out + "counts";
    internal const string BinCountColumn = MappingColumns.Out + "bin_count";
    internal const string PatchCountColumn = MappingColumns.Out + "patch_count";

    /// <inheritdoc />
    public override Action<WindowSpikesRow, Output> GetMapping() => Map;

    internal static void Map(WindowSpikesRow input, Output output)
    {
        var options = PersistedOptions.Read<SpikeBinningOptions>(input.Options);
        double length = input.End - input.Start;
        // A tiny tolerance so that a 1 s window of 20 ms bins gets 50 bins despite 1.0 / 0.02 = 49.999999999999993.
        int bins = (int)Math.Floor(length / options.BinSeconds + 1e-9);
        if (bins < 0) throw new InvalidOperationException($"BinSpikes: window [{input.Start}, {input.End}) s ends before it starts");
        if (options.BinsPerPatch > 0 && bins % options.BinsPerPatch != 0)
            throw new InvalidOperationException($"BinSpikes: a window of {length} s has {bins} bins of {options.BinSeconds} s, not a whole number of {options.BinsPerPatch}-bin patches");
        int units = input.UnitCount;
        var unitIndices = input.SpikeUnits.GetValues();
        var times = input.SpikeTimes.GetValues();
        if (unitIndices.Length != times.Length)
            throw new InvalidOperationException($"BinSpikes: {times.Length} spike times but {unitIndices.Length} spike units in a row");
        foreach (var u in unitIndices)
            if ((uint)u >= (uint)units) throw new InvalidOperationException($"BinSpikes: spike unit index {u} is outside the window's {units} units");
        var editor = VBufferEditor.Create(ref output.Counts, units * bins);
        editor.Values.Clear();
        SpikeBinning.CountSorted(times, unitIndices, 0, options.BinSeconds, bins, editor.Values);
        output.Counts = editor.Commit();
        output.BinCount = bins;
        output.PatchCount = options.BinsPerPatch > 0 ? bins / options.BinsPerPatch : 0;
    }

    /// <summary>Output row.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed class Output
    {
        /// <summary>Counts, row-major units x bins.</summary>
        [ColumnName(CountsColumn)] public VBuffer<float> Counts;

        /// <summary>Bins per unit.</summary>
        [ColumnName(BinCountColumn)] public int BinCount;

        /// <summary>Patches per unit (0 without patches).</summary>
        [ColumnName(PatchCountColumn)] public int PatchCount;
    }
}
