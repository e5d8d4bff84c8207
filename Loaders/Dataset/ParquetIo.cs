using Parquet;
using Parquet.Schema;

namespace MLNeuro.Loaders;

/// <summary>
/// Thin synchronous helpers over Parquet.Net's async API: opening with errors that name the file, finding columns
/// with errors that name the column, and reading whole columns into arrays without intermediate copies.
/// </summary>
internal static class ParquetIo
{
    /// <summary>
    /// Options for per-session files. session_id is always dictionary-encoded (one value per file: without the hint
    /// Parquet.Net writes it PLAIN, 18 bytes a spike). Uncompressed files keep unit_index and timestamp PLAIN, which
    /// Parquet.Net decodes fastest; compressed files delta-pack unit_index and byte-stream-split timestamps, which only
    /// pay off under a compressor. Measured on 20 M spikes (read both columns, 1 thread): PLAIN 12 B/spike at
    /// ~540 M spikes/s, delta + PLAIN 9.3 B/spike at ~310, Snappy + delta + split 5.9 B/spike at ~64.
    /// </summary>
    public static ParquetOptions SessionFileOptions(DatasetCompression compression)
    {
        var options = new ParquetOptions
        {
            CompressionMethod = compression == DatasetCompression.Snappy ? CompressionMethod.Snappy : CompressionMethod.None,
        };
        options.ColumnEncodingHints[DatasetLayout.SessionId] = EncodingHint.Dictionary;
        if (compression == DatasetCompression.Snappy)
        {
            options.ColumnEncodingHints[DatasetLayout.UnitIndex] = EncodingHint.DeltaBinaryPacked;
            options.ColumnEncodingHints[DatasetLayout.Timestamp] = EncodingHint.ByteSplitStream;
        }
        return options;
    }

    /// <summary>Parquet.Net writers and readers are only async-disposable; this lets sync code use <c>using</c>.</summary>
    public static SyncDisposer Disposing(IAsyncDisposable target) => new(target);

    public readonly struct SyncDisposer(IAsyncDisposable target) : IDisposable
    {
        public void Dispose() => target.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    public static ParquetWriter CreateWriter(ParquetSchema schema, Stream stream, ParquetOptions? options = null) =>
        ParquetWriter.CreateAsync(schema, stream, options).GetAwaiter().GetResult();

    public static ParquetReader OpenReader(string path)
    {
        if (Directory.Exists(path)) throw new DataFormatException(path, "is a folder, not a Parquet file");
        if (!File.Exists(path)) throw new DataFormatException(path, "file is missing");
        try
        {
            return ParquetReader.CreateAsync(path).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not DataFormatException and not OperationCanceledException)
        {
            throw new DataFormatException(path, $"not a readable Parquet file (truncated or corrupt?): {e.Message}", inner: e);
        }
    }

    public static DataField Field(ParquetReader reader, string column, string path, bool required = true)
    {
        var field = reader.Schema.DataFields.FirstOrDefault(f => f.Name == column);
        if (field is null && required)
            throw new DataFormatException(path, $"required column is missing (columns: {string.Join(", ", reader.Schema.DataFields.Select(f => f.Name))})", column: column);
        return field!;
    }

    public static long RowCount(ParquetReader reader)
    {
        long rows = 0;
        for (int g = 0; g < reader.RowGroupCount; g++) rows += reader.RowGroups[g].RowCount;
        return rows;
    }

    /// <summary>Reads a non-nullable value column of every row group into one array.</summary>
    public static T[] ReadAll<T>(ParquetReader reader, DataField field, string path) where T : struct
    {
        var values = new T[checked((int)RowCount(reader))];
        int offset = 0;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            int rows = (int)reader.RowGroups[g].RowCount;
            ReadInto(reader.RowGroups[g], field, values.AsMemory(offset, rows), path);
            offset += rows;
        }
        return values;
    }

    /// <summary>Reads a value column of one row group into a caller's buffer.</summary>
    public static void ReadInto<T>(ParquetRowGroupReader group, DataField field, Memory<T> target, string path) where T : struct
    {
        try
        {
            group.ReadAsync(field, target).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new DataFormatException(path, $"cannot read column as {typeof(T).Name}: {e.Message}", column: field.Name, inner: e);
        }
    }

    /// <summary>Reads a string column (nullable or not) of every row group.</summary>
    public static string?[] ReadStrings(ParquetReader reader, DataField field, string path)
    {
        var values = new string?[checked((int)RowCount(reader))];
        int offset = 0;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            int rows = (int)reader.RowGroups[g].RowCount;
            try
            {
                reader.RowGroups[g].ReadAsync(field, values.AsMemory(offset, rows)!).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new DataFormatException(path, $"cannot read column as text: {e.Message}", column: field.Name, inner: e);
            }
            offset += rows;
        }
        return values;
    }

    public static void Write<T>(ParquetRowGroupWriter group, DataField field, ReadOnlyMemory<T> values) where T : struct =>
        group.WriteAsync(field, values).GetAwaiter().GetResult();

    public static void WriteStrings(ParquetRowGroupWriter group, DataField field, IReadOnlyCollection<string?> values) =>
        group.WriteAsync(field, values!).GetAwaiter().GetResult();
}
