using System.ComponentModel;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Transforms;

/// <summary>The saved form of <see cref="SpikeJitterEstimator"/>: ML.NET finds this factory by its contract name at load time.</summary>
/// <example><code>
/// MLNeuroComponents.Register(ml); // makes this factory findable before ml.Model.Load
/// </code></example>
[CustomMappingFactoryAttribute(ContractName)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class SpikeJitterMapping : CustomMappingFactory<AugmentationWindowRow, SpikeJitterMapping.Output>
{
    internal const string ContractName = "MLNeuro.JitterSpikes.v2";
    internal const string Name = "JitterSpikes";

    /// <inheritdoc />
    public override Action<AugmentationWindowRow, Output> GetMapping() => Map;

    internal static void Map(AugmentationWindowRow input, Output output)
    {
        var options = PersistedOptions.Read<SeededOptions<SpikeJitterOptions>>(input.Options);
        var spikes = input.ToSpikeTrain(Name);
        var jittered = new SpikeJitter(options.Options).Jitter(spikes, 0, input.End - input.Start, input.Random(options.Seed));
        output.SpikeTimes = new VBuffer<double>(jittered.Count, jittered.Timestamps.ToArray());
        output.SpikeUnits = new VBuffer<int>(jittered.Count, jittered.UnitIndices.ToArray());
    }

    /// <summary>Output row.</summary>
    /// <example><code>
    /// // Read through the view with [ColumnName("spike_times")] public double[] SpikeTimes { get; set; }
    /// </code></example>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed class Output
    {
        /// <summary>Jittered spike times relative to the window start, sorted.</summary>
        [ColumnName(MappingColumns.OutSpikeTimes)] public VBuffer<double> SpikeTimes;

        /// <summary>Unit index of each jittered spike.</summary>
        [ColumnName(MappingColumns.OutSpikeUnits)] public VBuffer<int> SpikeUnits;
    }
}
