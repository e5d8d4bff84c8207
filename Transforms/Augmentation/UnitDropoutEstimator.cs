using Microsoft.ML;

namespace MLNeuro.Transforms;

/// <summary>
/// Unit dropout (<see cref="UnitDropout"/>) on every window row, seeded per row. Reached through
/// <c>mlContext.Transforms.DropUnits(outputColumnName, inputColumnName, options, seed)</c>.
/// </summary>
/// <remarks>
/// Input columns (the window view's, with <c>IncludeSpikes = true</c>): the spike pair of the input stem (see
/// <see cref="SpikeColumns"/>; the output stem when no input is named), <c>{stem}_times</c> (variable-length vector of
/// Double, seconds from the window start) and <c>{stem}_units</c> (variable-length vector of Int32), <c>unit_count</c>
/// (Int32), <c>start_s</c>, <c>end_s</c> (Double), <c>session_id</c> (Text) and <c>window_index</c> (Int32). Output: the
/// spike pair of the output stem holding the surviving units' spikes (stem "spike" replaces the input in place, so the
/// result chains into <c>BinSpikes</c> or <c>TokenizeSpikes</c>; units are not re-indexed and <c>unit_count</c> is
/// unchanged), and <c>{stem}_kept_units</c> (variable-length vector of Int32, ascending) listing the surviving units. The values are exactly
/// <c>new UnitDropout(options).Apply(view, random)</c> on the row's window; see
/// <see cref="WindowAugmentationEstimator{TOutput, TOptions}"/> for how each row's generator is seeded.
/// </remarks>
/// <example><code>
/// var pipeline = ml.Transforms.DropUnits("spike", options: new UnitDropoutOptions { MinKeepFraction = 0.7 }, seed: 1)
///     .Append(ml.Transforms.BinSpikes("counts"));
/// var binned = pipeline.Fit(windows).Transform(windows);
/// </code></example>
public sealed class UnitDropoutEstimator : WindowAugmentationEstimator<UnitDropoutMapping.Output, UnitDropoutOptions>
{
    /// <summary>Suffix of the column listing the units that survived: <c>{output stem}_kept_units</c>.</summary>
    public const string KeptUnitsSuffix = "_kept_units";

    internal UnitDropoutEstimator(TransformsCatalog transforms, string outputStem, string inputStem, UnitDropoutOptions options, int seed)
        : base(transforms, outputStem, inputStem, options, options.Validate, seed, UnitDropoutMapping.Name, UnitDropoutMapping.ContractName,
            UnitDropoutMapping.Map, (UnitDropoutMapping.KeptUnitsColumn, outputStem + KeptUnitsSuffix))
    {
    }
}
