using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNeuro.Estimators;

public static partial class PoyoMlNet
{
    /// <summary>
    /// Stitches scored window rows (<see cref="AsPoyoWindowView"/> then <see cref="DecodeBehaviorWithPoyo"/>) into one
    /// trace per session, as <see cref="PoyoDecoder"/> does: one row per session time, the average of every window's
    /// prediction at that time (windows overlap by half at the default stride). Reads the rows once, as they stream;
    /// holds one session's samples at a time, so a session's rows must come together, as the window view gives them.
    /// </summary>
    /// <param name="scored">Rows with <c>session_id</c>, <c>window_start</c>, <c>query_times</c> and <c>behavior</c>.</param>
    /// <param name="mlContext">Makes the output view.</param>
    /// <returns>Rows of <see cref="PoyoTraceRow"/> in session order, then time order.</returns>
    /// <example><code>
    /// IDataView windows = dataset.AsPoyoWindowView(artifact, mlContext);
    /// IDataView scored = mlContext.Transforms.DecodeBehaviorWithPoyo(artifact).Fit(windows).Transform(windows);
    /// var traces = mlContext.Data.CreateEnumerable&lt;PoyoTraceRow&gt;(scored.StitchPoyoWindows(mlContext), reuseRowObject: false);
    /// </code></example>
    public static IDataView StitchPoyoWindows(this IDataView scored, MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(scored);
        ArgumentNullException.ThrowIfNull(mlContext);
        foreach (var name in new[] { "session_id", "window_start", "query_times", "behavior" })
            if (scored.Schema.GetColumnOrNull(name) is null)
                throw new ArgumentException($"column '{name}' is missing: stitch the output of DecodeBehaviorWithPoyo over AsPoyoWindowView", nameof(scored));
        return mlContext.Data.LoadFromEnumerable(Stitched(scored));
    }

    private static IEnumerable<PoyoTraceRow> Stitched(IDataView scored)
    {
        var schema = scored.Schema;
        using var cursor = scored.GetRowCursor([schema["session_id"], schema["window_start"], schema["query_times"], schema["behavior"]]);
        var getSession = cursor.GetGetter<ReadOnlyMemory<char>>(schema["session_id"]);
        var getStart = cursor.GetGetter<double>(schema["window_start"]);
        var getQueries = cursor.GetGetter<VBuffer<double>>(schema["query_times"]);
        var getBehavior = cursor.GetGetter<VBuffer<float>>(schema["behavior"]);
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
