using DuckDB.NET.Data;
using Parquet;
using Parquet.Schema;

namespace MLNeuro.Loaders.Tests;

public sealed class FeatureTableTests
{
    private static FeatureTable Sample(int rows = 5, int dimension = 3)
    {
        var features = new float[rows * dimension];
        for (int i = 0; i < features.Length; i++) features[i] = i * 0.5f - 1;
        return new FeatureTable(
            new Dictionary<string, string?[]>
            {
                ["unit_id"] = Enumerable.Range(0, rows).Select(i => $"u{i}").ToArray(),
                ["session_id"] = Enumerable.Range(0, rows).Select(i => $"s{i % 2}").ToArray(),
                ["subject_id"] = Enumerable.Range(0, rows).Select(i => $"m{i % 2}").ToArray(),
                ["brain_region"] = Enumerable.Range(0, rows).Select(i => i == 1 ? null : "CA1").ToArray(),
                ["cell_type"] = Enumerable.Range(0, rows).Select(i => i % 3 == 0 ? "pv" : i % 3 == 1 ? "sst" : null).ToArray(),
                ["layer"] = Enumerable.Range(0, rows).Select(i => $"L{i}").ToArray(),
            },
            features, Enumerable.Range(0, dimension).Select(i => $"feat_{i}").ToArray(), source: "test: Sample()");
    }

    [Fact]
    public void Round_trip_keeps_labels_vectors_names_and_source()
    {
        using var tmp = new TempFolder();
        var table = Sample();
        var path = tmp.Combine("sub", "features.parquet");
        table.Write(path);
        var back = FeatureTable.Read(path);
        Assert.Equal(table.RowCount, back.RowCount);
        Assert.Equal(3, back.Dimension);
        Assert.Equal(table.LabelColumns, back.LabelColumns);
        foreach (var c in table.LabelColumns) Assert.Equal(table.Column(c), back.Column(c));
        Assert.Equal(table.Features.ToArray(), back.Features.ToArray());
        Assert.Equal(table.FeatureNames, back.FeatureNames);
        Assert.Equal("test: Sample()", back.Source);
        Assert.Equal(new[] { 5f, 5.5f, 6f }, back.Row(4).ToArray());
        Assert.Single(Directory.GetFiles(tmp.Combine("sub"), "*", SearchOption.AllDirectories)); // no temp file left
    }

    [Fact]
    public void Write_replaces_an_existing_file()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("f.parquet");
        Sample(rows: 5).Write(path);
        Sample(rows: 2).Write(path);
        Assert.Equal(2, FeatureTable.Read(path).RowCount);
    }

    [Fact]
    public void DuckDb_reads_the_list_column_and_metadata()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("features.parquet");
        Sample(rows: 7, dimension: 4).Write(path);
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT min(len(features)), max(len(features)), count(*), sum(list_sum(features)), count(cell_type), any_value(typeof(features)) FROM read_parquet('{path}')";
        using (var reader = command.ExecuteReader())
        {
            Assert.True(reader.Read());
            Assert.Equal(4L, reader.GetInt64(0));
            Assert.Equal(4L, reader.GetInt64(1));
            Assert.Equal(7L, reader.GetInt64(2));
            float expected = 0;
            for (int i = 0; i < 28; i++) expected += i * 0.5f - 1;
            Assert.Equal(expected, reader.GetDouble(3), 3);
            Assert.Equal(5L, reader.GetInt64(4)); // rows 2 and 5 have a null cell type
            Assert.Equal("FLOAT[]", reader.GetString(5));
        }
        command.CommandText = $"SELECT decode(value) FROM parquet_kv_metadata('{path}') WHERE key = 'mlneuro.feature_names'";
        using (var reader = command.ExecuteReader())
        {
            Assert.True(reader.Read());
            Assert.Equal("[\"feat_0\",\"feat_1\",\"feat_2\",\"feat_3\"]", reader.GetString(0));
        }
    }

    [Fact]
    public void Reads_a_table_without_metadata_and_with_nullable_double_elements()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("foreign.parquet");
        // What pyarrow writes by default: list<double> with nullable elements, no MLNeuro metadata.
        WriteRaw(path, new DataField<double?>("element", true), new double[] { 1, 2, 3, 4 }, rowLengths: [2, 2]);
        var table = FeatureTable.Read(path);
        Assert.Equal(2, table.RowCount);
        Assert.Equal(new[] { "f0", "f1" }, table.FeatureNames);
        Assert.Equal(new[] { 3f, 4f }, table.Row(1).ToArray());
        Assert.Equal(new[] { "a", "b" }, table.Column("unit_id"));
    }

    [Fact]
    public void Ragged_vectors_name_the_row_and_column()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("ragged.parquet");
        WriteRaw(path, new DataField<float>("element", false), new float[] { 1, 2, 3 }, rowLengths: [2, 1]);
        var e = Assert.Throws<DataFormatException>(() => FeatureTable.Read(path));
        Assert.Equal("features", e.Column);
        Assert.Equal(path, e.File);
        Assert.Contains("row 2", e.Message);
        Assert.Contains("same length", e.Message);
    }

    [Fact]
    public void Nan_feature_is_rejected_on_read()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("nan.parquet");
        WriteRaw(path, new DataField<float>("element", false), new float[] { 1, float.NaN, 3, 4 }, rowLengths: [2, 2]);
        var e = Assert.Throws<DataFormatException>(() => FeatureTable.Read(path));
        Assert.Equal("features", e.Column);
        Assert.Contains("row 1: feature 2 is NaN", e.Message);
    }

    [Fact]
    public void Missing_features_column_lists_the_columns()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("nofeatures.parquet");
        var field = new DataField<string>("unit_id", true);
        using (var stream = File.Create(path))
        {
            var writer = ParquetIo.CreateWriter(new ParquetSchema(field), stream);
            using var d = ParquetIo.Disposing(writer);
            using var g = writer.CreateRowGroup();
            ParquetIo.WriteStrings(g, field, new[] { "a" });
        }
        var e = Assert.Throws<DataFormatException>(() => FeatureTable.Read(path));
        Assert.Equal("features", e.Column);
        Assert.Contains("columns: unit_id", e.Message);
        Assert.Throws<DataFormatException>(() => FeatureTable.Read(tmp.Combine("absent.parquet")));
    }

    [Fact]
    public void Constructor_rejects_bad_input_naming_the_problem()
    {
        var names = new[] { "a", "b" };
        var one = new Dictionary<string, string?[]> { ["unit_id"] = ["u0"] };
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => new FeatureTable(one, [1f, float.NaN], names)).Message);
        Assert.Contains("whole number", Assert.Throws<ArgumentException>(() => new FeatureTable(one, [1f, 2f, 3f], names)).Message);
        Assert.Contains("'unit_id' has 1 values", Assert.Throws<ArgumentException>(() => new FeatureTable(one, [1f, 2f, 3f, 4f], names)).Message);
        Assert.Contains("feature vector column", Assert.Throws<ArgumentException>(() =>
            new FeatureTable(new Dictionary<string, string?[]> { ["features"] = ["x"] }, [1f, 2f], names)).Message);
        Assert.Throws<KeyNotFoundException>(() => new FeatureTable(one, [1f, 2f], names).Column("cell_type"));
    }

    /// <summary>Writes unit_id + a features list with the given row lengths, bypassing FeatureTable's checks.</summary>
    private static void WriteRaw<T>(string path, DataField element, T[] values, int[] rowLengths) where T : struct
    {
        var id = new DataField<string>("unit_id", true);
        var list = new ListField("features", element);
        using var stream = File.Create(path);
        var writer = ParquetIo.CreateWriter(new ParquetSchema(id, list), stream);
        using var d = ParquetIo.Disposing(writer);
        using var g = writer.CreateRowGroup();
        ParquetIo.WriteStrings(g, id, Enumerable.Range(0, rowLengths.Length).Select(i => ((char)('a' + i)).ToString()).ToArray());
        var repetition = rowLengths.SelectMany(n => Enumerable.Range(0, n).Select(j => j == 0 ? 0 : 1)).ToArray();
        var definition = Enumerable.Repeat(element.MaxDefinitionLevel, values.Length).ToArray();
        g.WriteAllPartsAsync<T>(element, values, definition, repetition, CancellationToken.None).GetAwaiter().GetResult();
    }
}
