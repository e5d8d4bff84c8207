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
}
