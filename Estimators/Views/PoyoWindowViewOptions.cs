namespace MLNeuro.Estimators;

/// <summary>Which windows and queries <see cref="ModelDatasetViews.AsPoyoWindowView"/> produces.</summary>
/// <example><code>
/// var windows = dataset.AsPoyoWindowView(artifact, new PoyoWindowViewOptions { WholeSessions = true, QueryRateHz = 100 });
/// </code></example>
public sealed record PoyoWindowViewOptions
{
    /// <summary>True for whole sessions; false (default) for each session's evaluation part by the model's split.</summary>
    public bool WholeSessions { get; init; }

    /// <summary>Query grid rate, Hz, for sessions without behaviour (default 50).</summary>
    public double QueryRateHz { get; init; } = 50;

    internal void Validate()
    {
        if (!(QueryRateHz > 0) || !double.IsFinite(QueryRateHz))
            throw new ArgumentOutOfRangeException(nameof(QueryRateHz), QueryRateHz, "must be a positive number of queries per second");
    }
}
