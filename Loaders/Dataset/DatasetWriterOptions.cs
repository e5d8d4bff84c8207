namespace MLNeuro.Loaders;

/// <summary>Settings of <see cref="DatasetWriter"/>.</summary>
public sealed class DatasetWriterOptions
{
    /// <summary>Replace an existing output folder (only once the new dataset is complete). Default false: refuse.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Spikes per Parquet row group (default 1,048,576): the unit of streaming reads and of memory per read.</summary>
    public int RowGroupSize { get; init; } = 1 << 20;

    /// <summary>Provenance to store in dataset.json (source files, generator and seed, licence...).</summary>
    public IReadOnlyDictionary<string, string>? Provenance { get; init; }
}
