namespace MLNeuro.Loaders.Views;

/// <summary>A stretch of time [<paramref name="Start"/>, <paramref name="End"/>) in seconds: a sampled window or a region windows are drawn from.</summary>
/// <param name="Start">Start in seconds (inclusive).</param>
/// <param name="End">End in seconds (exclusive).</param>
public readonly record struct TimeWindow(double Start, double End)
{
    /// <summary>Length in seconds.</summary>
    public double DurationSeconds => End - Start;
}
