using Microsoft.ML;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Transforms;

/// <summary>
/// Bins each window's spikes into counts per unit and time bin: the input binned models (NuCLR, MtM, Wiener filters)
/// consume. Reached through <c>mlContext.Transforms.BinSpikes(options)</c>.
/// </summary>
/// <remarks>
/// Input columns (the window view's, with <c>IncludeSpikes = true</c>): the spike pair <c>{stem}_times</c>
/// (variable-length vector of Double, seconds from the window start) and <c>{stem}_units</c> (variable-length vector of
/// Int32), stem "spike" unless the catalog's inputColumnName names another (see <see cref="SpikeColumns"/>),
/// <c>unit_count</c> (Int32), <c>start_s</c> and <c>end_s</c> (Double). Output columns: the output column (default
/// <c>counts</c>; variable-length vector of Single, row-major units x bins: unit u, bin k at u * bin_count + k),
/// <c>{output}_bin_count</c> and <c>{output}_patch_count</c> (Int32).
/// Stateless: fitting only checks the schema. The fitted transformer saves and loads with
/// <c>mlContext.Model.Save/Load</c> (call <see cref="MLNeuroComponents.Register"/> on the loading context).
/// </remarks>
/// <example><code>
/// var windows = dataset.AsWindowView(new WindowViewOptions { WindowSeconds = 10, IncludeSpikes = true, Seed = 1 });
/// var binned = ml.Transforms.BinSpikes("counts", options: new SpikeBinningOptions { BinSeconds = 0.02, BinsPerPatch = 50 }).Fit(windows).Transform(windows);
/// </code></example>
public sealed class SpikeBinningEstimator : PersistedTransformEstimator<WindowSpikesRow, SpikeBinningMapping.Output, SpikeBinningOptions>
{
    /// <summary>Suffix of the bin-count column: <c>{output}_bin_count</c>.</summary>
    public const string BinCountSuffix = "_bin_count";

    /// <summary>Suffix of the patch-count column: <c>{output}_patch_count</c>.</summary>
    public const string PatchCountSuffix = "_patch_count";

    internal SpikeBinningEstimator(TransformsCatalog transforms, string outputColumnName, string inputColumnName, SpikeBinningOptions options)
        : base(transforms, options, options.Validate, "BinSpikes", SpikeBinningMapping.ContractName,
            WindowSpikesRow.Bind(inputColumnName,
                (SpikeBinningMapping.CountsColumn, ColumnBindings.CheckName(outputColumnName, nameof(outputColumnName))),
                (SpikeBinningMapping.BinCountColumn, outputColumnName + BinCountSuffix),
                (SpikeBinningMapping.PatchCountColumn, outputColumnName + PatchCountSuffix)),
            SpikeBinningMapping.Map)
    {
    }
}
