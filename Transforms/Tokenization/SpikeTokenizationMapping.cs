using System.ComponentModel;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MLNeuro.Transforms;

/// <summary>The saved form of <see cref="SpikeTokenizationEstimator"/>: ML.NET finds this factory by its contract name at load time.</summary>
[CustomMappingFactoryAttribute(ContractName)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class SpikeTokenizationMapping : CustomMappingFactory<WindowSpikesRow, SpikeTokenizationMapping.Output>
{
    internal const string ContractName = "MLNeuro.TokenizeSpikes.v2";
    private const string UnitsColumn = MappingColumns.Out + "token_units", TimesColumn = MappingColumns.Out + "token_times",
        TypesColumn = MappingColumns.Out + "token_types", VocabularyColumn = MappingColumns.Out + "token_vocabulary",
        DroppedColumn = MappingColumns.Out + "dropped_spikes";

    /// <summary>The output columns, in the order of <see cref="SpikeTokenizationEstimator.OutputColumns"/>.</summary>
    internal static readonly string[] Columns = [UnitsColumn, TimesColumn, TypesColumn, VocabularyColumn, DroppedColumn];
    private const string Name = "TokenizeSpikes";

    // The tokenizer's buffers only grow; one per thread (ML.NET may run cursors in parallel) avoids per-row allocation.
    private static readonly ThreadLocal<SpikeTokens> Buffers = new(() => new SpikeTokens());

    /// <inheritdoc />
    public override Action<WindowSpikesRow, Output> GetMapping() => Map;

    internal static void Map(WindowSpikesRow input, Output output)
    {
        var options = PersistedOptions.Read<SpikeTokenizerOptions>(input.Options);
        var tokens = Buffers.Value!;
        SpikeTokenizer.Tokenize(input.ToSpikeTrain(Name), 0, input.End - input.Start, options, tokens);
        Copy(tokens.UnitIndices, ref output.Units);
        Copy(tokens.Times, ref output.Times);
        var types = VBufferEditor.Create(ref output.Types, tokens.Count);
        for (int i = 0; i < tokens.Count; i++) types.Values[i] = (int)tokens.Types[i];
        output.Types = types.Commit();
        Copy(tokens.UnitVocabulary, ref output.Vocabulary);
        output.DroppedSpikes = tokens.DroppedSpikes;
    }

    private static void Copy<T>(ReadOnlySpan<T> source, ref VBuffer<T> target)
    {
        var editor = VBufferEditor.Create(ref target, source.Length);
        source.CopyTo(editor.Values);
        target = editor.Commit();
    }

    /// <summary>Output row: one entry per token in the tokenizer's order, plus the window's unit vocabulary.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed class Output
    {
        /// <summary>Unit index of each token.</summary>
        [ColumnName(UnitsColumn)] public VBuffer<int> Units;

        /// <summary>Token time relative to the window start, seconds.</summary>
        [ColumnName(TimesColumn)] public VBuffer<double> Times;

        /// <summary>Token type (<see cref="TokenType"/> as Int32).</summary>
        [ColumnName(TypesColumn)] public VBuffer<int> Types;

        /// <summary>Sorted distinct unit indices of the window.</summary>
        [ColumnName(VocabularyColumn)] public VBuffer<int> Vocabulary;

        /// <summary>Spikes dropped by the token cap.</summary>
        [ColumnName(DroppedColumn)] public int DroppedSpikes;
    }
}
