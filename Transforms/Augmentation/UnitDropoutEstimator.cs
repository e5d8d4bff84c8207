using Microsoft.ML;

namespace MLNeuro.Transforms;

/// <summary>
/// Unit dropout (<see cref="UnitDropout"/>) on every window row, seeded per row. Reached through
/// <c>mlContext.Transforms.DropUnits(options, seed)</c>.
/// </summary>
/// <remarks>
/// Input columns (the window view's, with <c>IncludeSpikes = true</c>): <c>spike_times</c> (variable-length vector of
/// Double, seconds from the window start), <c>spike_units</c> (variable-length vector of Int32), <c>unit_count</c>
/// (Int32), <c>start_s</c>, <c>end_s</c> (Double), <c>session_id</c> (Text) and <c>window_index</c> (Int32). Output:
/// <c>spike_times</c> and <c>spike_units</c> replaced by the surviving units' spikes (same names, so the result chains
/// into <c>BinSpikes</c> or <c>TokenizeSpikes</c>; units are not re-indexed and <c>unit_count</c> is unchanged), and
/// <c>kept_units</c> (variable-length vector of Int32, ascending) listing the surviving units. The values are exactly
/// <c>new UnitDropout(options).Apply(view, random)</c> on the row's window; see
/// <see cref="WindowAugmentationEstimator{TOutput, TOptions}"/> for how each row's generator is seeded.
/// </remarks>
/// <example><code>
/// var pipeline = ml.Transforms.DropUnits(new UnitDropoutOptions { MinKeepFraction = 0.7 }, seed: 1)
///     .Append(ml.Transforms.BinSpikes());
/// var binned = pipeline.Fit(windows).Transform(windows);
/// </code></example>
public sealed class UnitDropoutEstimator : WindowAugmentationEstimator<UnitDropoutMapping.Output, UnitDropoutOptions>
{
    /// <summary>Output column listing the units that survived.</summary>
    public const string KeptUnitsColumn = "kept_units";

    internal UnitDropoutEstimator(TransformsCatalog transforms, UnitDropoutOptions options, int seed)
        : base(transforms, options, options.Validate, seed, UnitDropoutMapping.Name, UnitDropoutMapping.ContractName, UnitDropoutMapping.Map)
    {
    }
}
