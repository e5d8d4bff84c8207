using System.Text.Json;
using Parquet;
using Parquet.Schema;
using MLNeuro.Loaders.IO;

namespace MLNeuro.Loaders;

/// <summary>
/// Parquet I/O for <see cref="FeatureTable"/>. The vector column is a standard three-level Parquet list
/// (<c>features.list.element</c>, element required), written with explicit definition and repetition levels
/// (<c>WriteAllPartsAsync</c>: repetition 0 opens a row, 1 continues it) and read back from the raw levels, so one flat
/// float array carries the whole column both ways.
/// </summary>
internal static class FeatureTableFile
{
    private const string ElementName = "element";

    public static void Write(FeatureTable table, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.Write(path, temp => WriteFile(table, temp));
    }

    private static void WriteFile(FeatureTable table, string path)
    {
        var labelFields = table.LabelColumns.Select(c => new DataField<string>(c, true)).ToArray();
        var element = new DataField<float>(ElementName, false);
        var features = new ListField(FeatureTableLayout.Features, element);
        var schema = new ParquetSchema(labelFields.Cast<Field>().Append(features).ToArray());

        int n = table.RowCount, d = table.Dimension;
        var repetition = new int[n * d];
        for (int r = 0; r < n; r++)
            for (int j = 1; j < d; j++) repetition[r * d + j] = 1;
        var definition = new int[n * d];
        Array.Fill(definition, element.MaxDefinitionLevel);

        using var stream = File.Create(path);
        var writer = ParquetIo.CreateWriter(schema, stream);
        using (ParquetIo.Disposing(writer))
        {
            writer.CustomMetadata = new Dictionary<string, string>
            {
                [FeatureTableLayout.FeatureNamesKey] = JsonSerializer.Serialize(table.FeatureNames),
                [FeatureTableLayout.SourceKey] = table.Source,
            };
            using var group = writer.CreateRowGroup();
            for (int c = 0; c < labelFields.Length; c++)
                ParquetIo.WriteStrings(group, labelFields[c], table.Column(table.LabelColumns[c]).ToArray());
            group.WriteAllPartsAsync<float>(element, table.Features.ToArray(), definition, repetition, CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    public static FeatureTable Read(string path)
    {
        var reader = ParquetIo.OpenReader(path);
        using var dispose = ParquetIo.Disposing(reader);
        var columns = reader.Schema.Fields.Select(f => f.Name).ToArray();
        var vector = reader.Schema.Fields.FirstOrDefault(f => f.Name == FeatureTableLayout.Features)
            ?? throw new DataFormatException(path, $"required column is missing (columns: {string.Join(", ", columns)})", column: FeatureTableLayout.Features);
        if (vector is not ListField { Item: DataField element } || (element.ClrType != typeof(float) && element.ClrType != typeof(double)))
            throw new DataFormatException(path, $"must be a list of float or double values (found {vector.SchemaType} {(vector as DataField)?.ClrType.Name})", column: FeatureTableLayout.Features);

        var metadata = reader.CustomMetadata ?? new Dictionary<string, string>();
        var names = FeatureNames(metadata, path);
        var (values, dimension) = ReadVectors(reader, element, path, names?.Length);
        names ??= Enumerable.Range(0, dimension).Select(i => $"f{i}").ToArray();
        if (dimension == 0) throw new DataFormatException(path, "has no rows and no feature names, so its dimension is unknown", column: FeatureTableLayout.Features);

        var labels = reader.Schema.Fields.OfType<DataField>()
            // Parquet.Net 6 reports UTF-8 columns as ReadOnlyMemory<char> when reading, string when declared in code.
            .Where(f => (f.ClrType == typeof(string) || f.ClrType == typeof(ReadOnlyMemory<char>)) && f.MaxRepetitionLevel == 0)
            .Select(f => new KeyValuePair<string, string?[]>(f.Name, ParquetIo.ReadStrings(reader, f, path)))
            .ToArray();
        metadata.TryGetValue(FeatureTableLayout.SourceKey, out var source);
        return new FeatureTable(labels, values, names, source);
    }

    private static string[]? FeatureNames(IReadOnlyDictionary<string, string> metadata, string path)
    {
        if (!metadata.TryGetValue(FeatureTableLayout.FeatureNamesKey, out var json)) return null;
        try
        {
            var names = JsonSerializer.Deserialize<string[]>(json);
            if (names is null || names.Length == 0 || names.Any(string.IsNullOrEmpty)) throw new JsonException("expected a non-empty array of non-empty strings");
            return names;
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, $"file metadata '{FeatureTableLayout.FeatureNamesKey}' is not a JSON array of names: {e.Message}", inner: e);
        }
    }

    /// <summary>
    /// Walks the levels of every row group: repetition 0 opens a row, definition below the maximum is a null element
    /// (when elements are nullable, one level below) or a null/empty list. Every row must have the same length.
    /// </summary>
    private static (float[] Values, int Dimension) ReadVectors(ParquetReader reader, DataField element, string path, int? expected)
    {
        long rows = ParquetIo.RowCount(reader);
        int dimension = expected ?? -1;
        float[] values = dimension >= 0 ? new float[checked((int)(rows * dimension))] : [];
        int row = -1, inRow = 0;
        int maxDefinition = element.MaxDefinitionLevel;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            var (raw, definition, repetition) = ReadRaw(reader.RowGroups[g], element, path);
            int v = 0;
            for (int i = 0; i < definition.Length; i++)
            {
                if (repetition[i] == 0)
                {
                    if (row >= 0) CheckLength(ref dimension, ref values, rows, row, inRow, path);
                    row++;
                    inRow = 0;
                }
                if (definition[i] < maxDefinition)
                {
                    if (element.IsNullable && definition[i] == maxDefinition - 1)
                        throw new DataFormatException(path, $"row {row + 1}: feature {inRow + 1} is null; features must be finite numbers", column: FeatureTableLayout.Features);
                    continue; // null or empty list: no values, CheckLength reports it
                }
                float x = raw[v++];
                if (!float.IsFinite(x))
                    throw new DataFormatException(path, $"row {row + 1}: feature {inRow + 1} is {x}; features must be finite numbers", column: FeatureTableLayout.Features);
                if (dimension >= 0 && inRow < dimension) values[row * dimension + inRow] = x;
                else if (dimension < 0) values = Append(values, x, row);
                inRow++;
            }
        }
        if (row >= 0) CheckLength(ref dimension, ref values, rows, row, inRow, path);
        if (row + 1 != rows) throw new DataFormatException(path, $"holds {row + 1} feature vectors for {rows} rows", column: FeatureTableLayout.Features);
        return (values, Math.Max(dimension, 0));
    }

    private static float[] Append(float[] values, float x, int row)
    {
        // Only the first row is read before the dimension is known (no feature-name metadata): grow it one by one.
        _ = row;
        Array.Resize(ref values, values.Length + 1);
        values[^1] = x;
        return values;
    }

    private static void CheckLength(ref int dimension, ref float[] values, long rows, int row, int length, string path)
    {
        if (dimension < 0)
        {
            if (length == 0) throw new DataFormatException(path, "row 1: the feature vector is null or empty", column: FeatureTableLayout.Features);
            dimension = length;
            var first = values;
            values = new float[checked((int)(rows * dimension))];
            first.CopyTo(values, 0);
            return;
        }
        if (length != dimension)
            throw new DataFormatException(path, $"row {row + 1}: the feature vector has {length} values but {(row == 0 ? "the feature names list" : "earlier rows have")} {dimension}; every row must have the same length", column: FeatureTableLayout.Features);
    }

    private static (float[] Values, int[] Definition, int[] Repetition) ReadRaw(ParquetRowGroupReader group, DataField element, string path)
    {
        try
        {
            // num_values of a column chunk counts level entries (values plus nulls and empty lists).
            int levels = checked((int)group.GetMetadata(element)!.MetaData!.NumValues);
            var definition = new int[levels];
            var repetition = new int[levels];
            if (element.ClrType == typeof(float))
            {
                var values = new float[levels];
                group.ReadRawAsync<float>(element, values, definition, repetition, CancellationToken.None).GetAwaiter().GetResult();
                return (values, definition, repetition);
            }
            var wide = new double[levels];
            group.ReadRawAsync<double>(element, wide, definition, repetition, CancellationToken.None).GetAwaiter().GetResult();
            return (Array.ConvertAll(wide, x => (float)x), definition, repetition);
        }
        catch (Exception e) when (e is not OperationCanceledException and not DataFormatException)
        {
            throw new DataFormatException(path, $"cannot read the feature vectors: {e.Message}", column: FeatureTableLayout.Features, inner: e);
        }
    }
}
