using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNeuro.Estimators;

/// <summary>
/// Stitches scored POYO window rows into one trace per session, as <see cref="PoyoDecoder"/> does: one row per session
/// time, the average of every window's prediction at that time (windows overlap by half at the default stride). Reads
/// the rows once, as they stream; holds one session's samples at a time, so a session's rows must come together, as the
/// window view gives them. Reached through <see cref="PoyoWindowView.StitchTraces"/>.
/// </summary>
internal static class PoyoTraceStitching
{
    /// <summary>Rows of <see cref="PoyoTraceRow"/> in session order, then time order.</summary>
    public static IDataView Stitch(IDataView scored, MLContext mlContext, string behaviorColumnName)
    {
        ArgumentNullException.ThrowIfNull(scored);
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentException.ThrowIfNullOrWhiteSpace(behaviorColumnName);
        foreach (var name in new[] { "session_id", "window_start", "query_times", behaviorColumnName })
            if (scored.Schema.GetColumnOrNull(name) is null)
                throw new ArgumentException($"column '{name}' is missing: stitch the output of DecodeBehaviorWithPoyo over the POYO window view", nameof(scored));
        return mlContext.Data.LoadFromEnumerable(Stitched(scored, behaviorColumnName));
    }

    private static IEnumerable<PoyoTraceRow> Stitched(IDataView scored, string behaviorColumnName)
    {
        var schema = scored.Schema;
        using var cursor = scored.GetRowCursor([schema["session_id"], schema["window_start"], schema["query_times"], schema[behaviorColumnName]]);
        var getSession = cursor.GetGetter<ReadOnlyMemory<char>>(schema["session_id"]);
        var getStart = cursor.GetGetter<double>(schema["window_start"]);
        var getQueries = cursor.GetGetter<VBuffer<double>>(schema["query_times"]);
        var getBehavior = cursor.GetGetter<VBuffer<float>>(schema[behaviorColumnName]);
        ReadOnlyMemory<char> sessionText = default;
        double start = 0;
        VBuffer<double> queries = default;
        VBuffer<float> behavior = default;
        var finished = new HashSet<string>(StringComparer.Ordinal);
        // Keyed by whole microseconds: window start + offset can differ in the last bit between two windows.
        var samples = new SortedDictionary<long, (double Time, double[] Sum, int Hits)>();
        string? current = null;
        while (cursor.MoveNext())
        {
            getSession(ref sessionText);
            getStart(ref start);
            getQueries(ref queries);
            getBehavior(ref behavior);
            string session = sessionText.ToString();
            if (session != current)
            {
                if (current is not null)
                {
                    foreach (var row in Flush(current, samples)) yield return row;
                    finished.Add(current);
                }
                if (finished.Contains(session))
                    throw new InvalidDataException($"rows of session '{session}' are not together: stitching holds one session at a time");
                current = session;
            }
            var times = queries.DenseValues().ToArray();
            var values = behavior.DenseValues().ToArray();
            if (times.Length == 0) continue;
            if (values.Length % times.Length != 0)
                throw new InvalidDataException($"session '{session}', window at {start} s: {values.Length} behaviour values for {times.Length} query times");
            int channels = values.Length / times.Length;
            for (int k = 0; k < times.Length; k++)
            {
                double time = start + times[k];
                long key = (long)Math.Round(time * 1e6);
                if (!samples.TryGetValue(key, out var sample)) sample = (time, new double[channels], 0);
                for (int ch = 0; ch < channels; ch++) sample.Sum[ch] += values[k * channels + ch];
                samples[key] = (sample.Time, sample.Sum, sample.Hits + 1);
            }
        }
        if (current is not null)
            foreach (var row in Flush(current, samples)) yield return row;
    }

    private static IEnumerable<PoyoTraceRow> Flush(string session, SortedDictionary<long, (double Time, double[] Sum, int Hits)> samples)
    {
        var rows = samples.Values.Select(s => new PoyoTraceRow
        {
            SessionId = session, Time = s.Time, Windows = s.Hits, Behavior = s.Sum.Select(v => (float)(v / s.Hits)).ToArray(),
        }).ToList();
        samples.Clear();
        return rows;
    }
}
