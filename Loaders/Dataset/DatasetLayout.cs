using System.Text;

namespace MLNeuro.Loaders;

/// <summary>File and column names of the dataset format (format version 1). The README documents the same layout.</summary>
internal static class DatasetLayout
{
    public const string ManifestFile = "dataset.json";
    public const string UnitsFile = "units.parquet";
    public const string IntervalsFile = "intervals.parquet";
    public const string SpikesFolder = "spikes";
    public const string BehaviorFolder = "behavior";
    public const string TracesFolder = "traces";

    public const string SessionId = "session_id";
    public const string SubjectId = "subject_id";
    public const string UnitIndex = "unit_index";
    public const string UnitId = "unit_id";
    public const string BrainRegion = "brain_region";
    public const string CellType = "cell_type";
    public const string SpikeCount = "spike_count";
    public const string Timestamp = "timestamp";
    public const string Start = "start";
    public const string End = "end";
    public const string Kind = "kind";
    public const string Label = "label";
    public const string Value = "value";

    /// <summary>Column names of units.parquet that metadata columns may not reuse.</summary>
    public static readonly IReadOnlySet<string> ReservedUnitColumns =
        new HashSet<string>(StringComparer.Ordinal) { SessionId, SubjectId, UnitIndex, UnitId, BrainRegion, CellType, SpikeCount };

    /// <summary>Column names of intervals.parquet that interval metadata columns may not reuse.</summary>
    public static readonly IReadOnlySet<string> ReservedIntervalColumns =
        new HashSet<string>(StringComparer.Ordinal) { SessionId, Start, End, Kind, Label };

    /// <summary>A file-system-safe, readable file stem for a session id (collisions are resolved by the writer).</summary>
    public static string FileStem(string sessionId)
    {
        var sb = new StringBuilder(sessionId.Length);
        foreach (var c in sessionId)
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        var stem = sb.ToString().Trim('.');
        return stem.Length == 0 ? "session" : stem.Length > 100 ? stem[..100] : stem;
    }
}
