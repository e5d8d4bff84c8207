using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNeuro.Transforms;

/// <summary>Input-schema checks with errors that name the column, the expected type and what was found.</summary>
internal static class SchemaChecks
{
    public static void RequireAll(DataViewSchema schema, IEnumerable<(string Name, DataViewType Type)> columns, string transform)
    {
        foreach (var (name, type) in columns) Require(schema, name, type, transform);
    }

    public static void RequireAll(SchemaShape schema, IEnumerable<(string Name, DataViewType Type)> columns, string transform)
    {
        foreach (var (name, type) in columns) Require(schema, name, type, transform);
    }

    public static void Require(DataViewSchema schema, string column, DataViewType expected, string transform)
    {
        var found = schema.GetColumnOrNull(column);
        if (found is null)
            throw new ArgumentException($"{transform}: input column '{column}' is missing (expected {Describe(expected)}; columns: {string.Join(", ", schema.Select(c => c.Name))})");
        if (!Matches(found.Value.Type, expected))
            throw new ArgumentException($"{transform}: input column '{column}' must be {Describe(expected)}, but it is {Describe(found.Value.Type)}");
    }

    public static void Require(SchemaShape schema, string column, DataViewType expected, string transform)
    {
        var match = schema.Where(c => c.Name == column).ToArray();
        if (match.Length == 0)
            throw new ArgumentException($"{transform}: input column '{column}' is missing (expected {Describe(expected)})");
        var found = match[^1];
        bool vectorWanted = expected is VectorDataViewType;
        var item = expected is VectorDataViewType v ? v.ItemType : expected;
        bool isVector = found.Kind != SchemaShape.Column.VectorKind.Scalar;
        if (isVector != vectorWanted || !found.ItemType.Equals(item))
            throw new ArgumentException($"{transform}: input column '{column}' must be {Describe(expected)}, but it is {(isVector ? "a vector of " : "")}{found.ItemType}");
    }

    private static bool Matches(DataViewType actual, DataViewType expected) =>
        expected is VectorDataViewType ev
            ? actual is VectorDataViewType av && av.ItemType.Equals(ev.ItemType) && (ev.Size == 0 || av.Size == ev.Size)
            : actual.Equals(expected);

    private static string Describe(DataViewType type) => type switch
    {
        VectorDataViewType { Size: 0 } v => $"a variable-length vector of {v.ItemType}",
        VectorDataViewType v => $"a vector of {v.Size} {v.ItemType}",
        _ => type.ToString() ?? type.GetType().Name,
    };
}
