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
/// var epoch1 = ml.Transforms.DropUnits(seed: 1).Fit(windows);
/// var epoch2 = ml.Transforms.DropUnits(seed: 2).Fit(windows); // different draws for every row
/// </code></example>
/// <typeparam name="TOutput">The mapping's output row.</typeparam>
/// <typeparam name="TOptions">The augmentation's options.</typeparam>
public abstract class WindowAugmentationEstimator<TOutput, TOptions>
    : PersistedTransformEstimator<AugmentationWindowRow, TOutput, SeededOptions<TOptions>>
    where TOutput : class, new()
    where TOptions : class
{
    private protected WindowAugmentationEstimator(TransformsCatalog transforms, TOptions options, Action validateOptions, int seed, string name,
        string contract, Action<AugmentationWindowRow, TOutput> mapping)
        : base(transforms, new SeededOptions<TOptions> { Options = options, Seed = seed }, validateOptions, name, contract,
            AugmentationWindowRow.Columns, ViewColumnNames.StartSeconds, mapping)
    {
        Options = options;
        Seed = seed;
    }

    /// <summary>The augmentation's options.</summary>
    public TOptions Options { get; }

    /// <summary>The seed every row's generator is derived from.</summary>
    public int Seed { get; }
}
