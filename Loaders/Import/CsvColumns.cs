namespace MLNeuro.Loaders.Import;

/// <summary>Column names the CSV importer recognises (see <see cref="CsvImporter"/> for the formats).</summary>
internal static class CsvColumns
{
    public const string UnitId = "unit_id";
    public const string SessionId = "session_id";
    public const string SubjectId = "subject_id";
    public const string BrainRegion = "brain_region";
    public const string CellType = "cell_type";
    public const string Timestamp = "timestamp";
    public const string Start = "start";
    public const string Stop = "stop";
    public const string End = "end";
    public const string Kind = "kind";
    public const string Label = "label";

    /// <summary>Interval kind when the intervals file has no kind column (or an empty cell).</summary>
    public const string DefaultKind = "trial";
}
