namespace MLNeuro.Loaders.Views;

/// <summary>Options of <see cref="DatasetViews.AsWindowView"/>: which windows to cut from which sessions.</summary>
/// <example><code>
/// // 1-second windows tiling every trial, with the spikes of each window
/// var options = new WindowViewOptions
/// {
///     WindowSeconds = 1.0, Mode = WindowMode.Sequential, IntervalKind = "trial", IncludeSpikes = true,
/// };
/// IDataView windows = dataset.AsWindowView(options);
/// </code></example>
public sealed class WindowViewOptions
{
    /// <summary>Window length in seconds. Required: must be a finite number &gt; 0 (there is no default).</summary>
    public double WindowSeconds { get; set; }

    /// <summary>Random or sequential placement. Default <see cref="WindowMode.Random"/>.</summary>
    public WindowMode Mode { get; set; } = ViewDefaults.Mode;

    /// <summary>Random mode: windows per session (at least 1). Default 10. Sessions where no window fits get none.</summary>
    public int WindowsPerSession { get; set; } = ViewDefaults.WindowsPerSession;

    /// <summary>
    /// Sequential mode: seconds between window starts. Default null, meaning <see cref="WindowSeconds"/> (windows tile
    /// without overlap); a smaller stride gives overlapping windows. Must stay null in Random mode.
    /// </summary>
    public double? StrideSeconds { get; set; }

    /// <summary>
    /// When set (e.g. "trial"), every window lies inside one interval of this kind; sessions without such intervals get
    /// no windows. Default null: windows lie anywhere inside the session's domain.
    /// </summary>
    public string? IntervalKind { get; set; }

    /// <summary>Session ids to cut windows from (rows follow the dataset's session order). Default null: every session.</summary>
    public IReadOnlyList<string>? Sessions { get; set; }

    /// <summary>
    /// Seed of Random mode. Each session's windows come from a generator seeded by (Seed, the session's position in the
    /// dataset), so a session's windows do not change when other sessions are filtered out. Default 0.
    /// </summary>
    public int Seed { get; set; } = ViewDefaults.Seed;

    /// <summary>Adds <c>spike_times</c> (relative to the window start) and <c>spike_units</c> columns. Default false.</summary>
    public bool IncludeSpikes { get; set; } = ViewDefaults.IncludeSpikes;
}
