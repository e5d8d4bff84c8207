namespace MLNeuro.Loaders;

/// <summary>A labelled stretch of time, e.g. a trial, an epoch or a train/test split.</summary>
/// <param name="Start">Start in seconds (inclusive).</param>
/// <param name="End">End in seconds (exclusive), at least <paramref name="Start"/>.</param>
/// <param name="Kind">What sort of interval: "trial", "epoch", "train", "test", or an NWB table name.</param>
/// <param name="Label">Optional label within the kind (e.g. the trial condition), or null.</param>
public readonly record struct Interval(double Start, double End, string Kind, string? Label = null)
{
    /// <summary>Length in seconds.</summary>
    public double DurationSeconds => End - Start;

    /// <summary>
    /// Other values of the interval (e.g. a trial's contrasts and feedback), as text; null when there are none.
    /// Stored as extra nullable string columns of intervals.parquet.
    /// </summary>
    public IReadOnlyDictionary<string, string?>? Metadata { get; init; }

    /// <summary>Value of a metadata column, or null when the interval has none.</summary>
    public string? GetMetadata(string column) =>
        Metadata is not null && Metadata.TryGetValue(column, out var value) ? value : null;
}
