namespace MLNeuro.Loaders.Import;

/// <summary>
/// The sessions of an import in order of first appearance in units.csv, with the lookups that route rows of the other
/// files to a session (by a session_id cell, or by unit id alone when the files have no session column).
/// </summary>
internal sealed class CsvSessions
{
    private readonly List<CsvSession> _sessions = new();
    private readonly Dictionary<string, int> _indexById = new(StringComparer.Ordinal);
    private Dictionary<string, (int Session, int Unit)>? _unitsById;

    public CsvSessions(string unitsPath, bool hasSessionColumn)
    {
        UnitsPath = unitsPath;
        UnitsHaveSessionColumn = hasSessionColumn;
        SessionLookup = _indexById.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>units.csv, for messages.</summary>
    public string UnitsPath { get; }

    /// <summary>Whether units.csv has a session_id column (otherwise every unit is in the default session).</summary>
    public bool UnitsHaveSessionColumn { get; }

    public int Count => _sessions.Count;

    public CsvSession this[int index] => _sessions[index];

    public IReadOnlyList<CsvSession> All => _sessions;

    /// <summary>Session index by id, looked up without allocating.</summary>
    public Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> SessionLookup { get; }

    public int IndexOf(string sessionId) => _indexById.TryGetValue(sessionId, out var i) ? i : -1;

    public CsvSession Add(CsvSession session)
    {
        _indexById.Add(session.SessionId, _sessions.Count);
        _sessions.Add(session);
        _unitsById = null;
        return session;
    }

    /// <summary>
    /// A map from unit id to (session, unit index) over all sessions, for files without a session_id column; null when
    /// a unit id occurs in two sessions (then such files are ambiguous), with <paramref name="repeated"/> describing one.
    /// </summary>
    public Dictionary<string, (int Session, int Unit)>? UnitsById(out string? repeated)
    {
        repeated = null;
        if (_unitsById is not null) return _unitsById;
        var map = new Dictionary<string, (int Session, int Unit)>(StringComparer.Ordinal);
        for (int s = 0; s < _sessions.Count; s++)
        {
            foreach (var id in _sessions[s].UnitIds)
            {
                if (!map.TryAdd(id, (s, _sessions[s].UnitLookup[id.AsSpan()])))
                {
                    repeated = $"unit id '{id}' is in sessions '{_sessions[map[id].Session].SessionId}' and '{_sessions[s].SessionId}'";
                    return null;
                }
            }
        }
        return _unitsById = map;
    }

    /// <summary>
    /// The session a row of another file belongs to. With a session column, the cell names it (an unknown id throws,
    /// naming the row); without one, there must be a single session (otherwise throws, naming the missing column).
    /// </summary>
    public CsvSession Resolve(CsvReader reader, int sessionColumn, ref int lastSession)
    {
        if (sessionColumn < 0) return _sessions[0];
        var id = reader[sessionColumn];
        if ((uint)lastSession < (uint)_sessions.Count && id.SequenceEqual(_sessions[lastSession].SessionId))
            return _sessions[lastSession];
        if (!SessionLookup.TryGetValue(id, out lastSession))
            throw reader.Error(UnitsHaveSessionColumn
                ? $"session {CsvReader.Quote(id)} has no units in {Path.GetFileName(UnitsPath)}"
                : $"session {CsvReader.Quote(id)} does not match the session of {Path.GetFileName(UnitsPath)} ('{_sessions[0].SessionId}', which has no session_id column; set the session id option or add the column)",
                sessionColumn);
        return _sessions[lastSession];
    }

    /// <summary>Throws when a file without a session_id column is read while there are several sessions.</summary>
    public void RequireSessionColumnIfAmbiguous(CsvReader reader, int sessionColumn)
    {
        if (sessionColumn < 0 && _sessions.Count > 1)
            throw new DataFormatException(reader.Path,
                $"required column is missing: {Path.GetFileName(UnitsPath)} has {_sessions.Count} sessions, so rows must say which session they belong to",
                column: CsvColumns.SessionId);
    }
}
