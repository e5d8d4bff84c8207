namespace MLNeuro.Loaders.Import;

/// <summary>
/// Which CSV files make up an import, and the ids to use when the files do not carry them. The file formats are
/// described on <see cref="CsvImporter"/>.
/// </summary>
/// <example><code>
/// var options = new CsvImportOptions
/// {
///     UnitsFile = "linear-track_units.csv",
///     SpikesFile = "linear-track_spikes.csv",
///     BehaviorFile = "linear-track_position.csv",
///     SessionId = "linear-track",
/// };
/// </code></example>
public sealed class CsvImportOptions
{
    /// <summary>The units table (units.csv): one row per unit, <c>unit_id</c> required.</summary>
    public required string UnitsFile { get; init; }

    /// <summary>The spikes (spikes.csv): one row per spike, <c>unit_id</c> and <c>timestamp</c> (seconds) required.</summary>
    public required string SpikesFile { get; init; }

    /// <summary>Optional behaviour samples: <c>timestamp</c> plus one numeric column per channel.</summary>
    public string? BehaviorFile { get; init; }

    /// <summary>Optional intervals (e.g. trials.csv): <c>start</c> and <c>stop</c> or <c>end</c>.</summary>
    public string? IntervalsFile { get; init; }

    /// <summary>
    /// Session id of every unit when units.csv has no <c>session_id</c> column. Default: the spikes file name without
    /// its extension.
    /// </summary>
    public string? SessionId { get; init; }

    /// <summary>Subject id of units whose units.csv row gives none (no <c>subject_id</c> column, or an empty cell). Default: "unknown".</summary>
    public string? SubjectId { get; init; }
}
