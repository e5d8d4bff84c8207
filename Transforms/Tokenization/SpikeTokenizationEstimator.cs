using Microsoft.ML;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Transforms;

/// <summary>
/// Turns each window's spikes into POYO tokens (see <see cref="SpikeTokenizer"/> for the order and the cap rule).
/// Reached through <c>mlContext.Transforms.TokenizeSpikes(options)</c>.
/// </summary>
/// <remarks>
/// Input columns: as <see cref="SpikeBinningEstimator"/> (the window view with <c>IncludeSpikes = true</c>). The output
/// column name is a stem (default "token"): <c>{stem}_units</c> (Int32), <c>{stem}_times</c> (Double, seconds from the
/// window start), <c>{stem}_types</c> (Int32: 0 spike, 1 unit start, 2 unit end), all variable-length vectors with one
/// entry per token; plus <c>{stem}_vocabulary</c> (Int32 vector, the window's units, sorted) and
/// <c>{stem}_dropped_spikes</c> (Int32, spikes the cap dropped). Stateless; saves and loads with
/// <c>mlContext.Model.Save/Load</c> (call <see cref="MLNeuroComponents.Register"/> on the loading context).
/// </remarks>
/// <example><code>
/// var windows = dataset.AsWindowView(new WindowViewOptions { WindowSeconds = 1, IncludeSpikes = true, Seed = 1 });
/// var tokens = ml.Transforms.TokenizeSpikes("token").Fit(windows).Transform(windows);   // token_units, token_times, ...
/// </code></example>
public sealed class SpikeTokenizationEstimator : PersistedTransformEstimator<WindowSpikesRow, SpikeTokenizationMapping.Output, SpikeTokenizerOptions>
{
    /// <summary>Columns written for an output stem, in the order the remarks list them.</summary>
    /// <example><code>
    /// string times = SpikeTokenizationEstimator.OutputColumns("token")[1];   // "token_times"
    /// </code></example>
    public static IReadOnlyList<string> OutputColumns(string stem)
    {
        ColumnBindings.CheckName(stem, nameof(stem));
        return [stem + "_units", stem + "_times", stem + "_types", stem + "_vocabulary", stem + "_dropped_spikes"];
    }

    internal SpikeTokenizationEstimator(TransformsCatalog transforms, string outputColumnName, string inputColumnName, SpikeTokenizerOptions options)
        : base(transforms, options, options.Validate, "TokenizeSpikes", SpikeTokenizationMapping.ContractName,
            WindowSpikesRow.Bind(inputColumnName, SpikeTokenizationMapping.Columns.Zip(OutputColumns(outputColumnName)).ToArray()),
            SpikeTokenizationMapping.Map)
    {
    }
}
