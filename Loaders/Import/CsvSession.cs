namespace MLNeuro.Loaders.Import;

/// <summary>
/// One session being imported: its units from units.csv and a builder that collects its spikes, behaviour and
/// intervals. Unit ids are looked up by span so that reading spikes allocates no strings.
/// </summary>
internal sealed class CsvSession
{
    private readonly Dictionary<string, int> _unitIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _unitRow = new(StringComparer.Ordinal);

    public CsvSession(int index, string sessionId, string subjectId, long subjectRow)
    {
        Index = index;
        SessionId = sessionId;
        SubjectId = subjectId;
        SubjectRow = subjectRow;
        Builder = new RecordingBuilder(sessionId, subjectId);
        UnitLookup = _unitIndex.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Position in session order (first appearance in units.csv).</summary>
    public int Index { get; }

    public string SessionId { get; }

    public string SubjectId { get; }

    /// <summary>The units.csv row that set <see cref="SubjectId"/>, for messages about disagreeing rows.</summary>
    public long SubjectRow { get; }

    public RecordingBuilder Builder { get; }

    /// <summary>Unit index by unit id, looked up without allocating.</summary>
    public Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> UnitLookup { get; }

    /// <summary>Adds a unit; returns the units.csv row of an earlier unit with the same id instead when there is one.</summary>
    public long? TryAddUnit(UnitInfo unit, long row)
    {
        if (_unitRow.TryGetValue(unit.UnitId, out var earlier)) return earlier;
        _unitIndex.Add(unit.UnitId, Builder.AddUnit(unit));
        _unitRow.Add(unit.UnitId, row);
        return null;
    }

    public IEnumerable<string> UnitIds => _unitIndex.Keys;
}
