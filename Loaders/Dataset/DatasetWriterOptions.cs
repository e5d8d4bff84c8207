namespace MLNeuro.Loaders;

/// <summary>Settings of <see cref="DatasetWriter"/>.</summary>
public sealed record DatasetWriterOptions
{
    /// <summary>Replace an existing output folder (only once the new dataset is complete). Default false: refuse.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Spikes per Parquet row group (default 1,048,576): the unit of streaming reads and of memory per read.</summary>
    public int RowGroupSize { get; init; } = 1 << 20;

    /// <summary>
    /// Compression of the per-session files. Default <see cref="DatasetCompression.None"/>: reading is what training
    /// does over and over, and Parquet.Net decodes uncompressed spikes about 5x faster (README, "Measured").
    /// </summary>
    public DatasetCompression Compression { get; init; } = DatasetCompression.None;

    /// <summary>Provenance to store in dataset.json (source files, generator and seed, licence...).</summary>
    public IReadOnlyDictionary<string, string>? Provenance { get; init; }

    /// <summary>
    /// These options with provenance that an importer or generator knows (format, source files, seed): the caller's
    /// other entries are kept, the source's facts win on a clash. The dictionary is kept by reference: the importer may
    /// complete it until <see cref="DatasetWriter.Commit"/>.
    /// </summary>
    internal DatasetWriterOptions WithSourceProvenance(Dictionary<string, string> facts)
    {
        if (Provenance is not null)
            foreach (var (key, value) in Provenance) facts.TryAdd(key, value);
        return this with { Provenance = facts };
    }
}

/// <summary>How the per-session Parquet files (spikes, behaviour, traces) are compressed.</summary>
public enum DatasetCompression
{
    /// <summary>
    /// No compression: 12 bytes a spike (plain int32 unit index + plain double timestamp), fastest to read.
    /// </summary>
    None,

    /// <summary>
    /// Snappy over byte-stream-split timestamps: ~5.9 bytes a spike, about 5x slower to read with Parquet.Net. For archives.
    /// </summary>
    Snappy,
}
