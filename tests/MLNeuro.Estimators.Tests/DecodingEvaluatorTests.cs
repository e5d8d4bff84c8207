using MLNeuro.Loaders;
using static MLNeuro.Estimators.Tests.DecodingTestData;

namespace MLNeuro.Estimators.Tests;

public sealed class DecodingEvaluatorTests
{
    /// <summary>Cheats by reading the recording's own behaviour: every prediction is the truth.</summary>
    private sealed class PerfectDecoder(params string[] channels) : IBehaviorDecoder
    {
        public IReadOnlyList<string> Channels => channels;

        public List<(string Session, Interval Interval, double[] Times)> Calls { get; } = [];

        public void Predict(Recording recording, Interval interval, ReadOnlySpan<double> times, Span<float> destination)
        {
            Calls.Add((recording.SessionId, interval, times.ToArray()));
            var behavior = recording.Behavior!;
            var columns = BehaviorTargets.ChannelIndices(recording.SessionId, behavior, channels);
            var all = behavior.Timestamps;
            for (int i = 0; i < times.Length; i++)
            {
                int row = all.IndexOf(times[i]);
                for (int c = 0; c < columns.Length; c++) destination[i * columns.Length + c] = behavior.Channel(columns[c])[row];
            }
        }
    }

    /// <summary>Predicts the same value for every sample.</summary>
    private sealed class ConstantDecoder(string[] channels, float[] values) : IBehaviorDecoder
    {
        public IReadOnlyList<string> Channels => channels;

        public void Predict(Recording recording, Interval interval, ReadOnlySpan<double> times, Span<float> destination)
        {
            for (int i = 0; i < times.Length; i++) values.CopyTo(destination.Slice(i * values.Length, values.Length));
        }
    }

    // Session a: x = sin t, y = t (mean around the middle); session b: x = 2 + cos t, y = 3 t. Samples every 0.25 s over [0, 40).
    private static Recording SessionA() => Recording("a", 0, 40, Sampled(0, 0.25, 160, ("x", t => (float)Math.Sin(t)), ("y", t => (float)t)));

    private static Recording SessionB() => Recording("b", 0, 40, Sampled(0, 0.25, 160, ("x", t => (float)(2 + Math.Cos(t))), ("y", t => (float)(3 * t))));

    private static IEnumerable<(Recording, IntervalSet)> Evaluation(params Recording[] recordings) =>
        recordings.Select(r => (r, DecodingSplit.Of(r, new DecodingSplitOptions()).Evaluation));

    [Fact]
    public void A_perfect_decoder_scores_1_on_every_channel_of_every_session_and_pooled()
    {
        var decoder = new PerfectDecoder("x", "y");
        var reports = new List<WorkProgress>();
        var evaluation = DecodingEvaluator.Evaluate(decoder, Evaluation(SessionA(), SessionB()), new SynchronousProgress<WorkProgress>(reports.Add));

        Assert.Equal(new[] { "x", "y" }, evaluation.Channels);
        Assert.Equal(new[] { "a", "b" }, evaluation.Sessions.Select(s => s.SessionId));
        Assert.All(evaluation.Sessions, s => Assert.Equal(new[] { 1.0, 1.0 }, s.R2));
        Assert.Equal(new[] { 1.0, 1.0 }, evaluation.Pooled.R2);
        Assert.Null(evaluation.Pooled.SessionId);
        Assert.Equal(1.0, evaluation.MeanSessionR2);
        // Evaluation part = last 20% = [32, 40): 32 samples per session.
        Assert.All(evaluation.Sessions, s => Assert.Equal(32, s.Samples));
        Assert.Equal(64, evaluation.Pooled.Samples);
        Assert.Equal(new[] { (1L, 2L), (2L, 2L) }, reports.Select(r => (r.Done, r.Total)));

        var trace = evaluation.Traces[1];
        Assert.Equal("b", trace.SessionId);
        Assert.Equal(32, trace.Targets.Times[0]);
        Assert.Equal(trace.Targets.Values, trace.Predicted);
    }

    [Fact]
    public void Predicting_the_pooled_mean_scores_0_pooled_and_below_0_per_session()
    {
        var sessions = Evaluation(SessionA(), SessionB()).ToArray();
        var truth = sessions.Select(p => BehaviorTargets.Read(p.Item1, ["x", "y"], p.Item2)).ToArray();
        var mean = new float[2];
        for (int c = 0; c < 2; c++)
            mean[c] = (float)truth.SelectMany(t => t.Values.Where((_, i) => i % 2 == c)).Average(v => (double)v);

        var evaluation = DecodingEvaluator.Evaluate(new ConstantDecoder(["x", "y"], mean), sessions);

        Assert.All(evaluation.Pooled.R2, r => Assert.Equal(0, r, 5));
        // Each session's own mean differs from the pooled mean, so per session the constant is worse than the mean.
        Assert.All(evaluation.Sessions, s => Assert.All(s.R2, r => Assert.True(r < -0.5, $"session {s.SessionId} R² {r}")));
        Assert.Equal(evaluation.Sessions.Average(s => s.MeanR2), evaluation.MeanSessionR2, 12);
    }

    [Fact]
    public void Per_session_R2_is_about_the_session_own_mean()
    {
        // Session a predicted perfectly on x, by its own mean on y; per-session figures must say (1, 0).
        var a = SessionA();
        var part = DecodingSplit.Of(a, new DecodingSplitOptions()).Evaluation;
        var truth = BehaviorTargets.Read(a, ["y"], part);
        float meanY = (float)truth.Values.Average(v => (double)v);
        var decoder = new MixedDecoder(meanY);
        var evaluation = DecodingEvaluator.Evaluate(decoder, [(a, part)]);
        var session = Assert.Single(evaluation.Sessions);
        Assert.Equal(1.0, session.R2[0], 12);
        Assert.Equal(0.0, session.R2[1], 5);
        Assert.Equal(0.5, session.MeanR2, 5);
    }

    private sealed class MixedDecoder(float y) : IBehaviorDecoder
    {
        public IReadOnlyList<string> Channels => ["x", "y"];

        public void Predict(Recording recording, Interval interval, ReadOnlySpan<double> times, Span<float> destination)
        {
            for (int i = 0; i < times.Length; i++)
            {
                destination[2 * i] = (float)Math.Sin(times[i]);
                destination[2 * i + 1] = y;
            }
        }
    }

    [Fact]
    public void Each_interval_of_a_session_is_predicted_with_its_own_samples()
    {
        var a = SessionA();
        var intervals = new IntervalSet([new Interval(1, 3, "eval"), new Interval(10, 10.5, "eval"), new Interval(20, 20.1, "eval"), new Interval(30, 32, "eval")]);
        var decoder = new PerfectDecoder("y");
        var evaluation = DecodingEvaluator.Evaluate(decoder, [(a, intervals)]);

        // [20, 20.1) holds one sample (20), no call for an interval without samples.
        Assert.Equal(new[] { 8, 2, 1, 8 }, decoder.Calls.Select(c => c.Times.Length));
        Assert.All(decoder.Calls, c => Assert.All(c.Times, t => Assert.True(t >= c.Interval.Start && t < c.Interval.End)));
        Assert.Equal(19, Assert.Single(evaluation.Sessions).Samples);
        Assert.Equal(1.0, evaluation.Pooled.R2[0]);

        var empty = new PerfectDecoder("y");
        DecodingEvaluator.Evaluate(empty, [(a, new IntervalSet([new Interval(5.1, 5.2, "eval"), new Interval(6, 6.5, "eval")]))]);
        Assert.Equal(new[] { 2 }, empty.Calls.Select(c => c.Times.Length));
    }

    [Fact]
    public void Overlapping_intervals_are_each_predicted_with_only_their_own_samples()
    {
        // IntervalSet allows overlaps (a trial inside an epoch) and sorts by start then end, so [0, 2) comes before [0, 5).
        // Every call must receive times inside its own interval, ascending: the decoder's contract.
        var a = SessionA();
        var intervals = new IntervalSet([new Interval(0, 5, "eval"), new Interval(0, 2, "eval"), new Interval(4, 6, "eval")]);
        var decoder = new PerfectDecoder("x", "y");
        var evaluation = DecodingEvaluator.Evaluate(decoder, [(a, intervals)]);

        Assert.Equal(3, decoder.Calls.Count);
        foreach (var (_, interval, times) in decoder.Calls)
        {
            Assert.All(times, t => Assert.True(t >= interval.Start && t < interval.End, $"{t} outside [{interval.Start}, {interval.End})"));
            Assert.Equal(times.Order(), times);
            Assert.Equal((int)Math.Round((interval.End - interval.Start) / 0.25), times.Length);
        }
        Assert.Equal(new[] { 1.0, 1.0 }, evaluation.Pooled.R2);
        Assert.Equal(8 + 20 + 8, evaluation.Pooled.Samples);
    }

    [Fact]
    public void A_session_missing_a_decoded_channel_is_an_error_naming_it()
    {
        var bare = Recording("c", 0, 10, Sampled(0, 1, 10, ("x", t => 0f)));
        var error = Assert.Throws<ArgumentException>(() => DecodingEvaluator.Evaluate(new PerfectDecoder("x", "y"), Evaluation(bare)));
        Assert.Contains("'c'", error.Message);
        Assert.Contains("'y'", error.Message);
    }
}
