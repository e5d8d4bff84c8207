namespace MLNeuro.Loaders.Import;

/// <summary>
/// Reads a behaviour CSV: <c>timestamp</c> required, <c>session_id</c> optional, every other column a float channel
/// (empty cell = NaN). Rows may come in any order; each session's samples are sorted by time (stably, so equal
/// timestamps keep their file order).
/// </summary>
internal static class CsvBehaviorFile
{
    public static void Read(string path, CsvSessions sessions, CancellationToken ct)
    {
        using var csv = CsvReader.Open(path);
        int timeColumn = csv.Require(CsvColumns.Timestamp);
        int sessionColumn = csv.IndexOf(CsvColumns.SessionId);
        sessions.RequireSessionColumnIfAmbiguous(csv, sessionColumn);
        var channelColumns = Enumerable.Range(0, csv.Header.Count).Where(c => c != timeColumn && c != sessionColumn).ToArray();
        if (channelColumns.Length == 0)
            throw new DataFormatException(path, "the file has no channel columns besides timestamp and session_id");
        var names = channelColumns.Select(c => csv.Header[c]).ToArray();

        var samples = new Samples?[sessions.Count];
        int lastSession = -1;
        while (csv.Read())
        {
            if ((csv.Row & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
            double t = csv.ParseFiniteDouble(timeColumn);
            var session = sessions.Resolve(csv, sessionColumn, ref lastSession);
            var target = samples[session.Index] ??= new Samples(channelColumns.Length);
            target.Times.Add(t);
            for (int c = 0; c < channelColumns.Length; c++) target.Channels[c].Add(csv.ParseFloatOrNaN(channelColumns[c]));
        }
        for (int s = 0; s < samples.Length; s++)
            if (samples[s] is { } found) sessions[s].Builder.SetBehavior(found.ToSeries(names));
    }

    private sealed class Samples
    {
        public Samples(int channels) => Channels = Enumerable.Range(0, channels).Select(_ => new List<float>()).ToArray();

        public List<double> Times { get; } = new();

        public List<float>[] Channels { get; }

        public BehaviorSeries ToSeries(string[] names)
        {
            var times = Times.ToArray();
            var order = Enumerable.Range(0, times.Length).ToArray();
            if (TimeSearch.FirstUnsortedOrNonFinite(times) >= 0)
            {
                // Sort by (time, file position): a stable sort, so duplicated timestamps keep their order.
                Array.Sort(order, (a, b) => times[a] != times[b] ? times[a].CompareTo(times[b]) : a.CompareTo(b));
                times = order.Select(i => Times[i]).ToArray();
            }
            var channels = Channels.Select(list => order.Select(i => list[i]).ToArray()).ToArray();
            return BehaviorSeries.Wrap(times, names, channels);
        }
    }
}
