using System.Collections.Concurrent;
using System.ComponentModel;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Transforms;

/// <summary>The saved form of <see cref="UnitDropoutEstimator"/>: ML.NET finds this factory by its contract name at load time.</summary>
/// <example><code>
/// MLNeuroComponents.Register(ml); // makes this factory findable before ml.Model.Load
/// </code></example>
[CustomMappingFactoryAttribute(ContractName)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class UnitDropoutMapping : CustomMappingFactory<AugmentationWindowRow, UnitDropoutMapping.Output>
{
    internal const string ContractName = "MLNeuro.DropUnits.v2";
    internal const string Name = "DropUnits";
    internal const string KeptUnitsColumn = MappingColumns.Out + "kept_units";

    // UnitDropout works on recordings; a window only needs a unit table of the right size, and ids do not matter.
    private static readonly ConcurrentDictionary<int, UnitTable> Tables = new();

    /// <inheritdoc />
    public override Action<AugmentationWindowRow, Output> GetMapping() => Map;

    internal static void Map(AugmentationWindowRow input, Output output)
    {
        var options = PersistedOptions.Read<SeededOptions<UnitDropoutOptions>>(input.Options);
        var spikes = input.ToSpikeTrain(Name);
        var units = Tables.GetOrAdd(input.UnitCount, static n => new UnitTable(Enumerable.Range(0, n).Select(i => new UnitInfo($"u{i}"))));
        // The domain only has to contain the spikes (dropout never reads it); widen it by one ulp if rounding of the
        // relative times put a spike on the window end, which Recording's half-open domain would reject.
        double length = input.End - input.Start;
        if (spikes.Count > 0 && spikes.Timestamps[^1] >= length) length = Math.BitIncrement(spikes.Timestamps[^1]);
        var window = new Recording(string.IsNullOrWhiteSpace(input.SessionId) ? "window" : input.SessionId, "window", units, spikes, 0, length);
        var view = new UnitDropout(options.Options).Apply(AugmentedView.Of(window), input.Random(options.Seed));
        output.SpikeTimes = new VBuffer<double>(view.Recording.Spikes.Count, view.Recording.Spikes.Timestamps.ToArray());
        output.SpikeUnits = new VBuffer<int>(view.Recording.Spikes.Count, view.Recording.Spikes.UnitIndices.ToArray());
        output.KeptUnits = new VBuffer<int>(view.KeptUnits.Length, view.KeptUnits.ToArray());
    }

    /// <summary>Output row.</summary>
    /// <example><code>
    /// // Read through the view with [ColumnName("spike_kept_units")] public int[] KeptUnits { get; set; }
    /// </code></example>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed class Output
    {
        /// <summary>Spike times of the surviving units, relative to the window start.</summary>
        [ColumnName(MappingColumns.OutSpikeTimes)] public VBuffer<double> SpikeTimes;

        /// <summary>Unit index of each surviving spike (not re-indexed).</summary>
        [ColumnName(MappingColumns.OutSpikeUnits)] public VBuffer<int> SpikeUnits;

        /// <summary>The surviving units, ascending.</summary>
        [ColumnName(KeptUnitsColumn)] public VBuffer<int> KeptUnits;
    }
}
