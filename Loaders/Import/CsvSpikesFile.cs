namespace MLNeuro.Loaders.Import;

/// <summary>
/// Reads spikes.csv (<c>unit_id</c>, <c>timestamp</c>, optional <c>session_id</c>; any order) into the sessions'
/// builders. This is the hot loop of an import: ids are matched by span, numbers parsed from spans, nothing is
/// allocated per row.
/// </summary>
internal static class CsvSpikesFile
{
    private const long ProgressEveryBytes = 4 << 20;

    public static void Read(string path, CsvSessions sessions, IProgress<WorkProgress>? progress, CancellationToken ct)
    {
        using var csv = CsvReader.Open(path);
        int unitColumn = csv.Require(CsvColumns.UnitId);
        int timeColumn = csv.Require(CsvColumns.Timestamp);
        int sessionColumn = csv.IndexOf(CsvColumns.SessionId);
        string unitsName = Path.GetFileName(sessions.UnitsPath);
        Dictionary<string, (int Session, int Unit)>.AlternateLookup<ReadOnlySpan<char>>? byUnit = null;
        if (sessionColumn < 0 && sessions.Count > 1)
        {
            // Without a session column a spike is routed by its unit id alone, which works only if ids are unique.
            var map = sessions.UnitsById(out var repeated) ?? throw new DataFormatException(path,
                $"required column is missing: {unitsName} has {sessions.Count} sessions and unit ids that repeat across them ({repeated}), so each spike must name its session",
                column: CsvColumns.SessionId);
            byUnit = map.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        string stage = $"reading {csv.FileName}";
        long nextReport = ProgressEveryBytes;
        progress?.Report(new WorkProgress(stage, 0, csv.Length));
        int lastSession = -1;
        while (csv.Read())
        {
            if ((csv.Row & 0xFFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
                if (progress is not null && csv.BytesRead >= nextReport)
                {
                    progress.Report(new WorkProgress(stage, csv.BytesRead, csv.Length));
                    nextReport = csv.BytesRead + ProgressEveryBytes;
                }
            }
            double t = csv.ParseFiniteDouble(timeColumn);
            var unitId = csv[unitColumn];
            CsvSession session;
            int unit;
            if (byUnit is { } lookup)
            {
                if (!lookup.TryGetValue(unitId, out var where))
                    throw csv.Error($"unit {CsvReader.Quote(unitId)} is not in {unitsName}", unitColumn);
                session = sessions[where.Session];
                unit = where.Unit;
            }
            else
            {
                session = sessions.Resolve(csv, sessionColumn, ref lastSession);
                if (!session.UnitLookup.TryGetValue(unitId, out unit))
                    throw csv.Error($"unit {CsvReader.Quote(unitId)} is not in {unitsName} for session '{session.SessionId}'", unitColumn);
            }
            session.Builder.AddSpike(unit, t);
        }
        progress?.Report(new WorkProgress(stage, csv.Length, csv.Length));
    }
}
