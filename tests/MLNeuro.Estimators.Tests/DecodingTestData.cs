using MLNeuro.Loaders;
using MLNeuro.Transforms;

namespace MLNeuro.Estimators.Tests;

/// Small recordings for the decoding baselines: Poisson units whose rates depend linearly on two smooth behaviour
/// channels ("x", "y", sampled at 50 Hz), so a linear decoder of binned counts can recover them.
internal static class DecodingTestData
{
    public static readonly string[] Channels = ["x", "y"];

    public static Recording Linear(string sessionId, int seed, int units = 24, double seconds = 120, double startSeconds = 0)
    {
        var rng = new Random(seed);
        const double rate = 50;
        int samples = (int)(seconds * rate);
        var times = new double[samples];
        var x = new float[samples];
        var y = new float[samples];
        // Sums of slow sinusoids with random phases: smooth, roughly stationary, in [-1, 1].
        var (fx, fy) = (Frequencies(new Random(seed * 7919 + 1)), Frequencies(new Random(seed * 7919 + 2)));
        for (int i = 0; i < samples; i++)
        {
            double t = i / rate;
            times[i] = startSeconds + t;
            x[i] = (float)Smooth(fx, t);
            y[i] = (float)Smooth(fy, t);
        }
        var builder = new RecordingBuilder(sessionId, "subject");
        const double dt = 0.001;
        for (int u = 0; u < units; u++)
        {
            builder.AddUnit(new UnitInfo($"u{u}"));
            double baseline = 20 + 20 * rng.NextDouble();
            double gx = (rng.NextDouble() * 2 - 1) * 20, gy = (rng.NextDouble() * 2 - 1) * 20;
            var spikes = new List<double>();
            for (double t = 0; t < seconds; t += dt)
            {
                int i = Math.Min((int)(t * rate), samples - 1);
                double r = Math.Max(0, baseline + gx * x[i] + gy * y[i]);
                if (rng.NextDouble() < r * dt) spikes.Add(startSeconds + t);
            }
            builder.AddSpikes(u, spikes.ToArray());
        }
        builder.SetBehavior(new BehaviorSeries(times, Channels, [x, y]));
        builder.SetDomain(startSeconds, startSeconds + seconds);
        return builder.Build();
    }

    /// The same recording with its behaviour replaced by <paramref name="values"/>(time, channel, value).
    public static Recording WithBehavior(Recording recording, Func<double, int, float, float> values)
    {
        var behavior = recording.Behavior!;
        var times = behavior.Timestamps.ToArray();
        var channels = new float[behavior.ChannelNames.Count][];
        for (int c = 0; c < channels.Length; c++)
        {
            var source = behavior.Channel(c);
            channels[c] = new float[times.Length];
            for (int i = 0; i < times.Length; i++) channels[c][i] = values(times[i], c, source[i]);
        }
        return new Recording(recording.SessionId, recording.SubjectId, recording.Units, recording.Spikes, recording.StartSeconds, recording.EndSeconds,
            new BehaviorSeries(times, behavior.ChannelNames, channels), recording.Intervals);
    }

    /// The behaviour replaced by an independent trajectory of the same kind (other random frequencies and phases): the
    /// spikes no longer carry it, a chance-level control.
    public static Recording Shuffled(Recording recording, int seed)
    {
        var parts = new[] { Frequencies(new Random(seed * 7919 + 1)), Frequencies(new Random(seed * 7919 + 2)) };
        return WithBehavior(recording, (t, c, _) => (float)Smooth(parts[c], t - recording.StartSeconds));
    }

    public static DecodingSplit Split(Recording recording, double validation = 0.2) =>
        DecodingSplit.Of(recording, new DecodingSplitOptions { TrainFraction = 0.75, ValidationFraction = validation });

    public static DecodingEvaluation Evaluate(IBehaviorDecoder decoder, IReadOnlyList<Recording> recordings, IReadOnlyList<DecodingSplit> splits) =>
        DecodingEvaluator.Evaluate(decoder, recordings.Zip(splits, (r, s) => (r, s.Evaluation)));

    /// Predictions on every recording's evaluation part, concatenated.
    public static float[] Predictions(IBehaviorDecoder decoder, IReadOnlyList<Recording> recordings, IReadOnlyList<DecodingSplit> splits) =>
        Evaluate(decoder, recordings, splits).Traces.SelectMany(t => t.Predicted).ToArray();

    private static (double F, double Phase)[] Frequencies(Random rng) =>
        Enumerable.Range(0, 4).Select(_ => (0.05 + 0.4 * rng.NextDouble(), rng.NextDouble() * 2 * Math.PI)).ToArray();

    private static double Smooth((double F, double Phase)[] parts, double t) =>
        parts.Sum(p => Math.Sin(2 * Math.PI * p.F * t + p.Phase)) / parts.Length;

    /// <summary>A recording over [start, end) with the given behaviour and intervals and no units.</summary>
    public static Recording Recording(string session, double start, double end, BehaviorSeries? behavior = null, params Interval[] intervals) =>
        new(session, "subject", UnitTable.Empty, SpikeTrain.Empty(0), start, end, behavior, new IntervalSet(intervals));

    /// <summary>Behaviour sampled every <paramref name="step"/> s from <paramref name="start"/> (n samples), channels computed from time.</summary>
    public static BehaviorSeries Sampled(double start, double step, int n, params (string Name, Func<double, float> Value)[] channels)
    {
        var times = Enumerable.Range(0, n).Select(i => start + i * step).ToArray();
        return new BehaviorSeries(times, channels.Select(c => c.Name).ToArray(), channels.Select(c => times.Select(c.Value).ToArray()).ToArray());
    }

    /// <summary>Asserts that two intervals have the same bounds (to <paramref name="precision"/> digits), kind and label.</summary>
    public static void AssertInterval(double start, double end, string kind, Interval actual, int precision = 12, string? label = null)
    {
        Assert.Equal(start, actual.Start, precision);
        Assert.Equal(end, actual.End, precision);
        Assert.Equal(kind, actual.Kind);
        Assert.Equal(label, actual.Label);
    }
}
