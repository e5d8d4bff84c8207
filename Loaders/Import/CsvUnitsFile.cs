namespace MLNeuro.Loaders.Import;

/// <summary>
/// Reads units.csv: <c>unit_id</c> required; <c>session_id</c>, <c>subject_id</c>, <c>brain_region</c>,
/// <c>cell_type</c> optional; every other column becomes string metadata (empty cells are null).
/// </summary>
internal static class CsvUnitsFile
{
    /// <summary>Metadata column names that would clash with columns the dataset writer adds to units.parquet.</summary>
    private static readonly string[] Reserved = { "unit_index", "spike_count" };

    public static CsvSessions Read(string path, string defaultSessionId, string defaultSubjectId, CancellationToken ct)
    {
        using var csv = CsvReader.Open(path);
        int unitColumn = csv.Require(CsvColumns.UnitId);
        int sessionColumn = csv.IndexOf(CsvColumns.SessionId);
        int subjectColumn = csv.IndexOf(CsvColumns.SubjectId);
        int regionColumn = csv.IndexOf(CsvColumns.BrainRegion);
        int typeColumn = csv.IndexOf(CsvColumns.CellType);
        var known = new[] { unitColumn, sessionColumn, subjectColumn, regionColumn, typeColumn };
        var metadata = Enumerable.Range(0, csv.Header.Count).Where(c => !known.Contains(c)).ToArray();
        foreach (var c in metadata)
            if (Reserved.Contains(csv.Header[c]))
                throw new DataFormatException(path, $"column name '{csv.Header[c]}' is reserved in the dataset format (the writer adds it); rename the column", column: csv.Header[c]);

        var sessions = new CsvSessions(path, sessionColumn >= 0);
        int last = -1;
        while (csv.Read())
        {
            if ((csv.Row & 0xFFF) == 0) ct.ThrowIfCancellationRequested();
            var unitId = csv[unitColumn];
            if (unitId.IsWhiteSpace()) throw csv.Error("unit id is empty", unitColumn);
            var session = FindOrAddSession(csv, sessions, sessionColumn, subjectColumn, defaultSessionId, defaultSubjectId, ref last);
            Dictionary<string, string?>? meta = null;
            if (metadata.Length > 0)
            {
                meta = new Dictionary<string, string?>(metadata.Length, StringComparer.Ordinal);
                foreach (var c in metadata) meta[csv.Header[c]] = csv.StringOrNull(c);
            }
            var unit = new UnitInfo(unitId.ToString(),
                regionColumn >= 0 ? csv.StringOrNull(regionColumn) : null,
                typeColumn >= 0 ? csv.StringOrNull(typeColumn) : null,
                meta);
            if (session.TryAddUnit(unit, csv.Row) is long earlier)
                throw csv.Error($"unit id {CsvReader.Quote(unitId)} appears twice in session '{session.SessionId}' (rows {earlier} and {csv.Row})", unitColumn);
        }
        if (sessions.Count == 0) throw new DataFormatException(path, "the file has a header but no units");
        return sessions;
    }

    private static CsvSession FindOrAddSession(CsvReader csv, CsvSessions sessions, int sessionColumn, int subjectColumn,
        string defaultSessionId, string defaultSubjectId, ref int last)
    {
        var sessionId = sessionColumn >= 0 ? csv[sessionColumn] : defaultSessionId.AsSpan();
        if (sessionColumn >= 0 && sessionId.IsWhiteSpace()) throw csv.Error("session id is empty", sessionColumn);
        var subject = subjectColumn >= 0 && !csv[subjectColumn].IsWhiteSpace() ? csv[subjectColumn] : defaultSubjectId.AsSpan();
        CsvSession session;
        if ((uint)last < (uint)sessions.Count && sessionId.SequenceEqual(sessions[last].SessionId)) session = sessions[last];
        else if (sessions.SessionLookup.TryGetValue(sessionId, out last)) session = sessions[last];
        else
        {
            last = sessions.Count;
            return sessions.Add(new CsvSession(sessions.Count, sessionId.ToString(), subject.ToString(), csv.Row));
        }
        if (!subject.SequenceEqual(session.SubjectId))
            throw csv.Error($"session '{session.SessionId}' has subject {CsvReader.Quote(subject)} here but '{session.SubjectId}' at row {session.SubjectRow}; a session has one subject",
                subjectColumn >= 0 ? subjectColumn : sessionColumn);
        return session;
    }
}
