using Microsoft.ML;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Transforms;

/// <summary>
/// Bins each window's spikes into counts per unit and time bin: the input binned models (NuCLR, MtM, Wiener filters)
/// consume. Reached through <c>mlContext.Transforms.BinSpikes(options)</c>.
/// </summary>
/// <remarks>
/// Input columns (the window view's, with <c>IncludeSpikes = true</c>): <c>spike_times</c> (variable-length vector of
/// Double, seconds from the window start), <c>spike_units</c> (variable-length vector of Int32), <c>unit_count</c>
/// (Int32), <c>start_s</c> and <c>end_s</c> (Double). Output columns: <c>counts</c> (variable-length vector of Single,
/// row-major units x bins: unit u, bin k at u * bin_count + k), <c>bin_count</c> and <c>patch_count</c> (Int32).
/// Stateless: fitting only checks the schema. The fitted transformer saves and loads with
/// <c>mlContext.Model.Save/Load</c> (call <see cref="MLNeuroComponents.Register"/> on the loading context).
/// </remarks>
/// <example><code>
/// var windows = dataset.AsWindowView(new WindowViewOptions { WindowSeconds = 10, IncludeSpikes = true, Seed = 1 });
/// var binned = ml.Transforms.BinSpikes(new SpikeBinningOptions { BinSeconds = 0.02, BinsPerPatch = 50 }).Fit(windows).Transform(windows);
/// </code></example>
public sealed class SpikeBinningEstimator : PersistedTransformEstimator<WindowSpikesRow, SpikeBinningMapping.Output, SpikeBinningOptions>
{
    /// <summary>Output column of counts.</summary>
    public const string CountsColumn = "counts";

    /// <summary>Output column of the number of bins per unit.</summary>
    public const string BinCountColumn = "bin_count";

    /// <summary>Output column of the number of patches per unit.</summary>
    public const string PatchCountColumn = "patch_count";

    internal SpikeBinningEstimator(TransformsCatalog transforms, SpikeBinningOptions options)
        : base(transforms, options, options.Validate, "BinSpikes", SpikeBinningMapping.ContractName,
            WindowSpikesRow.Columns, ViewColumnNames.StartSeconds, SpikeBinningMapping.Map)
    {
    }
}
