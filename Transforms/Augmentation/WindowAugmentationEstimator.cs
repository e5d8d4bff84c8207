using Microsoft.ML;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Transforms;

/// <summary>
/// Base of the seeded augmentation estimators over window rows (<see cref="AugmentationWindowRow"/>): fitting checks
/// the input schema and returns the persisted-options chain (options and seed), which saves and loads with
/// <c>mlContext.Model.Save/Load</c>.
/// </summary>
/// <remarks>
/// Each row draws from its own generator seeded by a stable hash of (seed, <c>session_id</c>, <c>window_index</c>),
/// so the same row gets the same augmentation in every run, on every cursor, in any row order and after save/load.
/// The flip side: passing the same rows through the same model twice gives the same views. For a new "epoch" of
/// augmentations (or a second view of each window) build the estimator again with a different seed.
/// </remarks>
/// <example><code>
/// var epoch1 = ml.Transforms.DropUnits("spike", seed: 1).Fit(windows);
/// var epoch2 = ml.Transforms.DropUnits("spike", seed: 2).Fit(windows); // different draws for every row
/// </code></example>
/// <typeparam name="TOutput">The mapping's output row.</typeparam>
/// <typeparam name="TOptions">The augmentation's options.</typeparam>
public abstract class WindowAugmentationEstimator<TOutput, TOptions>
    : PersistedTransformEstimator<AugmentationWindowRow, TOutput, SeededOptions<TOptions>>
    where TOutput : class, new()
    where TOptions : class
{
    /// <param name="transforms">The catalog that builds the persisted chain.</param>
    /// <param name="outputStem">Stem of the augmented spike pair (<c>{stem}_times</c>, <c>{stem}_units</c>).</param>
    /// <param name="inputStem">Stem of the spike pair read.</param>
    /// <param name="options">The augmentation's options (persisted with the seed).</param>
    /// <param name="validateOptions">Checks the options first (errors name the option).</param>
    /// <param name="seed">Seed of every row's draw.</param>
    /// <param name="name">Transform name used in error messages.</param>
    /// <param name="contract">The mapping factory's contract name.</param>
    /// <param name="mapping">The row mapping.</param>
    /// <param name="extraOutputs">Further (mapping column, user column) outputs beyond the spike pair.</param>
    private protected WindowAugmentationEstimator(TransformsCatalog transforms, string outputStem, string inputStem, TOptions options,
        Action validateOptions, int seed, string name, string contract, Action<AugmentationWindowRow, TOutput> mapping,
        params (string Mapping, string Output)[] extraOutputs)
        : base(transforms, new SeededOptions<TOptions> { Options = options, Seed = seed }, validateOptions, name, contract,
            AugmentationWindowRow.Bind(inputStem,
            [
                (MappingColumns.OutSpikeTimes, SpikeColumns.Times(outputStem)),
                (MappingColumns.OutSpikeUnits, SpikeColumns.Units(outputStem)),
                .. extraOutputs,
            ]),
            mapping)
    {
        Options = options;
        Seed = seed;
    }

    /// <summary>The augmentation's options.</summary>
    public TOptions Options { get; }

    /// <summary>The seed every row's generator is derived from.</summary>
    public int Seed { get; }
}
