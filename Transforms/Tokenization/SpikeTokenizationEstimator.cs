using Microsoft.ML;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Transforms;

/// <summary>
/// Turns each window's spikes into POYO tokens (see <see cref="SpikeTokenizer"/> for the order and the cap rule).
/// Reached through <c>mlContext.Transforms.TokenizeSpikes(options)</c>.
/// </summary>
/// <remarks>
/// Input columns: as <see cref="SpikeBinningEstimator"/> (the window view with <c>IncludeSpikes = true</c>). Output
/// columns, all variable-length vectors with one entry per token: <c>token_units</c> (Int32), <c>token_times</c>
/// (Double, seconds from the window start), <c>token_types</c> (Int32: 0 spike, 1 unit start, 2 unit end); plus
/// <c>unit_vocabulary</c> (Int32 vector, sorted) and <c>dropped_spikes</c> (Int32). Stateless; saves and loads with
/// <c>mlContext.Model.Save/Load</c> (call <see cref="MLNeuroComponents.Register"/> on the loading context).
/// </remarks>
/// <example><code>
/// var windows = dataset.AsWindowView(new WindowViewOptions { WindowSeconds = 1, IncludeSpikes = true, Seed = 1 });
/// var tokens = ml.Transforms.TokenizeSpikes().Fit(windows).Transform(windows);
/// </code></example>
public sealed class SpikeTokenizationEstimator : PersistedTransformEstimator<WindowSpikesRow, SpikeTokenizationMapping.Output, SpikeTokenizerOptions>
{
    /// <summary>Output column of token unit indices.</summary>
    public const string UnitsColumn = "token_units";

    /// <summary>Output column of token times.</summary>
    public const string TimesColumn = "token_times";

    /// <summary>Output column of token types.</summary>
    public const string TypesColumn = "token_types";

    /// <summary>Output column of the window's unit vocabulary.</summary>
    public const string VocabularyColumn = "unit_vocabulary";

    /// <summary>Output column of the number of spikes the cap dropped.</summary>
    public const string DroppedColumn = "dropped_spikes";

    internal SpikeTokenizationEstimator(TransformsCatalog transforms, SpikeTokenizerOptions options)
        : base(transforms, options, options.Validate, "TokenizeSpikes", SpikeTokenizationMapping.ContractName,
            WindowSpikesRow.Columns, ViewColumnNames.StartSeconds, SpikeTokenizationMapping.Map)
    {
    }
}
