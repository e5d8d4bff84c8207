using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.ML;

namespace MLNeuro.Transforms;

/// <summary>
/// How MLNeuro's stateless transforms survive <c>mlContext.Model.Save/Load</c> with their options. ML.NET gives outside
/// code no way to save a transformer's own parameters, and a <c>CustomMapping</c> factory is created without arguments
/// at load time. So a transform is saved as three built-in steps: an <c>Expression</c> transform that writes the
/// options (JSON) as a constant text column (ML.NET persists the expression text), the <c>CustomMapping</c> that reads
/// that column with the data columns, and a <c>DropColumns</c> that removes it again.
/// </summary>
internal static class PersistedOptions
{
    /// <summary>
    /// The temporary options column. One name serves every MLNeuro transform: each chain drops it before the next
    /// chain adds its own, and the mapping input classes can share fields.
    /// </summary>
    public const string Column = "__mlneuro_options";

    private static readonly ConcurrentDictionary<(Type, string), object> Cache = new();

    /// <summary>The chain described above, as one estimator, with the user's column names bound around the mapping.</summary>
    /// <param name="transforms">The catalog to build the steps with.</param>
    /// <param name="options">Options to persist; serialised to JSON.</param>
    /// <param name="anchorColumn">Any numeric or text input column: the Expression transform needs one input.</param>
    /// <param name="contractName">The factory's <c>CustomMappingFactoryAttribute</c> contract name.</param>
    /// <param name="mapping">The row mapping (the same delegate the factory returns).</param>
    /// <param name="columns">User columns copied into the mapping's fixed inputs, and its outputs copied out to user names.</param>
    public static IEstimator<ITransformer> Chain<TSrc, TDst, TOptions>(TransformsCatalog transforms, TOptions options,
        string anchorColumn, string contractName, Action<TSrc, TDst> mapping, ColumnBindings columns)
        where TSrc : class, new()
        where TDst : class, new()
    {
        var json = JsonSerializer.Serialize(options);
        // The expression language has string literals with \" escapes; option JSON never holds backslashes (numbers, enums).
        if (json.Contains('\\')) throw new ArgumentException("options must not contain backslashes", nameof(options));
        var literal = json.Replace("\"", "\\\"");
        IEstimator<ITransformer> chain = transforms.Expression(Column, $"x => \"{literal}\"", anchorColumn);
        foreach (var (source, mappingColumn) in columns.Inputs) chain = chain.Append(transforms.CopyColumns(mappingColumn, source));
        chain = chain.Append(transforms.CustomMapping(mapping, contractName));
        foreach (var (mappingColumn, output) in columns.Outputs) chain = chain.Append(transforms.CopyColumns(output, mappingColumn));
        var temporary = columns.Inputs.Select(c => c.Mapping).Concat(columns.Outputs.Select(c => c.Mapping)).Prepend(Column).ToArray();
        return chain.Append(transforms.DropColumns(temporary));
    }

    /// <summary>The options a row carries, parsed once per distinct JSON text (rows of one model share it).</summary>
    public static TOptions Read<TOptions>(string json) where TOptions : class =>
        (TOptions)Cache.GetOrAdd((typeof(TOptions), json), static key =>
            JsonSerializer.Deserialize(key.Item2, key.Item1) ?? throw new InvalidOperationException($"cannot read {key.Item1.Name} from '{key.Item2}'"));
}
