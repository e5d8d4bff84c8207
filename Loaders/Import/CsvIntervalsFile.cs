namespace MLNeuro.Loaders.Import;

/// <summary>
/// Reads an intervals CSV (e.g. trials.csv): <c>start</c> and <c>stop</c> or <c>end</c> required; <c>session_id</c>,
/// <c>kind</c> (default "trial") and <c>label</c> optional; every other column (trial conditions, feedback and the
/// like) is kept as interval metadata (text; empty cells are left out).
/// </summary>
internal static class CsvIntervalsFile
{
    public static void Read(string path, CsvSessions sessions, CancellationToken ct)
    {
        using var csv = CsvReader.Open(path);
        int startColumn = csv.Require(CsvColumns.Start);
        int stopColumn = csv.IndexOf(CsvColumns.Stop), endColumn = csv.IndexOf(CsvColumns.End);
        if (stopColumn >= 0 && endColumn >= 0)
            throw new DataFormatException(path, "has both 'stop' and 'end' columns; keep one", column: CsvColumns.End);
        if (stopColumn < 0 && endColumn < 0)
            throw new DataFormatException(path, $"required column is missing: 'stop' or 'end' (columns: {string.Join(", ", csv.Header)})", column: CsvColumns.Stop);
        endColumn = Math.Max(stopColumn, endColumn);
        int sessionColumn = csv.IndexOf(CsvColumns.SessionId);
        int kindColumn = csv.IndexOf(CsvColumns.Kind);
        int labelColumn = csv.IndexOf(CsvColumns.Label);
        sessions.RequireSessionColumnIfAmbiguous(csv, sessionColumn);
        var known = new HashSet<int> { startColumn, endColumn, sessionColumn, kindColumn, labelColumn };
        var metadataColumns = Enumerable.Range(0, csv.Header.Count).Where(c => !known.Contains(c)).ToArray();

        var kinds = new Dictionary<string, string>(StringComparer.Ordinal) { [CsvColumns.DefaultKind] = CsvColumns.DefaultKind };
        var kindLookup = kinds.GetAlternateLookup<ReadOnlySpan<char>>();
        int lastSession = -1;
        while (csv.Read())
        {
            if ((csv.Row & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
            double start = csv.ParseFiniteDouble(startColumn);
            double end = csv.ParseFiniteDouble(endColumn);
            if (end < start) throw csv.Error($"ends at {end} s, before its start at {start} s", endColumn);
            var session = sessions.Resolve(csv, sessionColumn, ref lastSession);
            string kind = CsvColumns.DefaultKind;
            if (kindColumn >= 0 && !csv[kindColumn].IsWhiteSpace())
            {
                // Kinds repeat on every row: share one string per kind.
                if (!kindLookup.TryGetValue(csv[kindColumn], out kind!))
                {
                    kind = csv[kindColumn].ToString();
                    kinds.Add(kind, kind);
                }
            }
            string? label = labelColumn >= 0 ? csv.StringOrNull(labelColumn) : null;
            Dictionary<string, string?>? metadata = null;
            foreach (int c in metadataColumns)
                if (csv.StringOrNull(c) is { } value) (metadata ??= new(StringComparer.Ordinal))[csv.Header[c]] = value;
            session.Builder.AddInterval(new Interval(start, end, kind, label) { Metadata = metadata });
        }
    }
}
