using MLNeuro.Loaders;

namespace MLNeuro.Estimators;

/// <summary>
/// Scores any <see cref="IBehaviorDecoder"/> on the evaluation intervals of its sessions: the decoder predicts every
/// behaviour sample inside each interval, and R² is taken per channel, per session and pooled.
/// </summary>
/// <example><code>
/// var sessions = dataset.Sessions.Select(s => dataset.ReadRecording(s.SessionId)).ToArray();
/// var evaluation = DecodingEvaluator.Evaluate(decoder, sessions.Select(r => (r, DecodingSplit.Of(r, new()).Evaluation)));
/// Console.WriteLine($"R² {evaluation.MeanSessionR2:F3}");
/// </code></example>
public static class DecodingEvaluator
{
    /// <summary>Evaluates <paramref name="decoder"/> on each recording's given intervals.</summary>
    /// <param name="decoder">The decoder.</param>
    /// <param name="parts">Recordings with the intervals to score (typically <see cref="DecodingSplit.Evaluation"/>).</param>
    /// <param name="progress">Receives (sessions done, sessions total).</param>
    public static DecodingEvaluation Evaluate(IBehaviorDecoder decoder, IEnumerable<(Recording Recording, IntervalSet Intervals)> parts,
        IProgress<WorkProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(parts);
        var list = parts.ToList();
        int c = decoder.Channels.Count;
        var pooled = new R2Accumulator(c);
        var sessions = new List<DecodingScore>();
        var traces = new List<DecodedTrace>();
        foreach (var (recording, intervals) in list)
        {
            var targets = BehaviorTargets.Read(recording, decoder.Channels, intervals);
            var predicted = new float[targets.Values.Length];
            var behavior = recording.Behavior!; // Read above threw for a recording without behaviour
            int offset = 0;
            foreach (var interval in intervals)
            {
                // Targets.Read walks the intervals in the same order and takes exactly this slice of each, so each interval's
                // samples are the next run of times. (Counting the following times that fall inside the interval instead
                // ran into the next interval's samples when intervals overlap, which IntervalSet allows.)
                int count = behavior.Slice(interval.Start, interval.End).Count;
                if (count > 0)
                    decoder.Predict(recording, interval, targets.Times.AsSpan(offset, count), predicted.AsSpan(offset * c, count * c));
                offset += count;
            }
            var session = new R2Accumulator(c);
            session.Add(targets.Values, predicted);
            pooled.Add(targets.Values, predicted);
            sessions.Add(new DecodingScore(recording.SessionId, session.R2(), targets.Count));
            traces.Add(new DecodedTrace(recording.SessionId, targets, predicted));
            progress?.Report(new WorkProgress("sessions", sessions.Count, list.Count));
        }
        return new DecodingEvaluation(decoder.Channels, new DecodingScore(null, pooled.R2(), traces.Sum(t => (long)t.Targets.Count)), sessions, traces);
    }
}
