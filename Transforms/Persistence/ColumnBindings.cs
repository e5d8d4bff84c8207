using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNeuro.Transforms;

/// <summary>
/// How one MLNeuro transform's columns are named in the user's pipeline: the input columns it requires (user names,
/// with their types), the user columns copied into the mapping's fixed input names, and the mapping outputs copied to
/// the user's output names. <see cref="PersistedOptions.Chain"/> turns it into CopyColumns steps around the mapping.
/// </summary>
/// <param name="Required">Input columns that must exist, by user name, with their types.</param>
/// <param name="Inputs">(user column, mapping column) pairs copied before the mapping runs.</param>
/// <param name="Outputs">(mapping column, user column) pairs copied after it.</param>
internal sealed record ColumnBindings(
    IReadOnlyList<(string Name, DataViewType Type)> Required,
    IReadOnlyList<(string Source, string Mapping)> Inputs,
    IReadOnlyList<(string Mapping, string Output)> Outputs)
{
    /// <summary>
    /// Checks a user's column name argument: not empty, and not one of MLNeuro's reserved names.
    /// Returns <paramref name="name"/> for chaining.
    /// </summary>
    public static string CheckName(string name, string parameter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, parameter);
        if (MappingColumns.IsReserved(name))
            throw new ArgumentException($"column name '{name}' uses a prefix MLNeuro reserves for its own temporary columns", parameter);
        return name;
    }
}
