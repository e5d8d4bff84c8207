using Microsoft.ML;

namespace MLNeuro.Transforms;

/// <summary>
/// Spike-time jitter (<see cref="SpikeJitter"/>) on every window row, seeded per row. Reached through
/// <c>mlContext.Transforms.JitterSpikes(outputColumnName, inputColumnName, options, seed)</c>.
/// </summary>
/// <remarks>
/// Input columns as <see cref="UnitDropoutEstimator"/>. Output: the spike pair of the output stem holding the jittered
/// spikes (stem "spike" replaces the input in place, so the result chains into <c>BinSpikes</c> or <c>TokenizeSpikes</c>), kept inside
/// the window [0, end_s - start_s) and re-sorted by time. The values are exactly <see cref="SpikeJitter.Jitter"/> on the
/// row's spikes over the window; see <see cref="WindowAugmentationEstimator{TOutput, TOptions}"/> for how each row's
/// generator is seeded.
/// </remarks>
/// <example><code>
/// var jittered = ml.Transforms.JitterSpikes("jittered", "spike", new SpikeJitterOptions { JitterSeconds = 0.002 }, seed: 3).Fit(windows).Transform(windows);
/// </code></example>
public sealed class SpikeJitterEstimator : WindowAugmentationEstimator<SpikeJitterMapping.Output, SpikeJitterOptions>
{
    internal SpikeJitterEstimator(TransformsCatalog transforms, string outputStem, string inputStem, SpikeJitterOptions options, int seed)
        : base(transforms, outputStem, inputStem, options, options.Validate, seed, SpikeJitterMapping.Name, SpikeJitterMapping.ContractName,
            SpikeJitterMapping.Map)
    {
    }
}
