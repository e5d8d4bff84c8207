using Microsoft.ML;
using Microsoft.ML.Data;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Synthetic;
using MLNeuro.Transforms;
using static MLNeuro.Estimators.Tests.TorchTestHelpers;

namespace MLNeuro.Estimators.Tests;

public sealed class PoyoWindowViewTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlneuro-poyo-mlnet-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void The_window_view_scored_through_ml_net_matches_the_decoder_window_by_window_stitches_and_reloads()
    {
        UseOneThread();
        var path = Path.Combine(_folder, "synth");
        SyntheticDataset.Write(new SyntheticOptions { Subjects = 2, SessionsPerSubject = 1, UnitsPerSession = 8, DurationSeconds = 20, Seed = 4 }, path);
        var dataset = NeuralDataset.Open(path);
        var recordings = dataset.Sessions.Select(s => dataset.ReadRecording(s.SessionId)).ToArray();
        var options = new PoyoDecodingOptions { Model = PoyoModelOptions.Tiny, Channels = ["vx", "vy"], BatchSize = 4 };
        using var decoder = PoyoTrainer.Train(recordings, options, new TrainingOptions { TotalSteps = 5, WarmupSteps = 1, Seed = 2 });
        var artifact = decoder.ToArtifact(path, 2);

        var ml = new MLContext(seed: 0);
        var windows = dataset.AsPoyoWindowView(artifact);
        var model = ml.Transforms.DecodeBehaviorWithPoyo(artifact).Fit(windows);
        var scored = model.Transform(windows);
        var behavior = scored.GetColumn<float[]>("behavior").ToArray();
        var sessions = scored.GetColumn<string>("session_id").ToArray();
        var starts = scored.GetColumn<double>("window_start").ToArray();
        // Evaluation part of each 20 s session: [16, 20) s, windows at 16, 16.5, ..., 19 s.
        Assert.Equal(2 * 7, behavior.Length);
        Assert.Equal(2 * 7, windows.GetRowCount());
        Assert.Equal(new[] { 16.0, 16.5, 17.0, 17.5, 18.0, 18.5, 19.0 }, starts.Take(7));
        // Named output (ML.NET's signature rule): the same values under the user's column, no "behavior" column.
        var renamed = ml.Transforms.DecodeBehaviorWithPoyo("decoded", artifact).Fit(windows).Transform(windows);
        Assert.Null(renamed.Schema.GetColumnOrNull("behavior"));
        Assert.Equal(behavior[0], renamed.GetColumn<float[]>("decoded").First());

        for (int i = 0; i < behavior.Length; i += 5)
        {
            var recording = recordings.Single(r => r.SessionId == sessions[i]);
            var window = new Interval(starts[i], starts[i] + 1, "w");
            var times = BehaviorTargets.Read(recording, options.Channels, [window]).Times;
            var expected = new float[times.Length * 2];
            decoder.Predict(recording, window, times, expected);
            Assert.Equal(expected.Length, behavior[i].Length);
            double worst = expected.Zip(behavior[i], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst < 1e-4, $"window {i}: max |ML.NET - TorchSharp| = {worst}");
        }

        // Stitched: one trace per session equal to the decoder's over the evaluation part (overlaps averaged alike).
        var traces = ml.Data.CreateEnumerable<PoyoTraceRow>(windows.StitchTraces(scored, ml), reuseRowObject: false).ToList();
        foreach (var recording in recordings)
        {
            var rows = traces.Where(r => r.SessionId == recording.SessionId).ToList();
            var evaluation = new Interval(16, 20, "evaluation");
            var times = BehaviorTargets.Read(recording, options.Channels, [evaluation]).Times;
            Assert.Equal(times.ToArray(), rows.Select(r => r.Time).ToArray());
            Assert.Contains(rows, r => r.Windows == 2);
            var expected = new float[times.Length * 2];
            decoder.Predict(recording, evaluation, times, expected);
            double worst = expected.Zip(rows.SelectMany(r => r.Behavior), (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst < 1e-4, $"{recording.SessionId}: max |stitched ML.NET - decoder| = {worst}");
        }

        var saved = Path.Combine(_folder, "pipeline.zip");
        ml.Model.Save(model, windows.Schema, saved);
        var reloaded = new MLContext().Model.Load(saved, out _);
        Assert.Equal(behavior[3], reloaded.Transform(windows).GetColumn<float[]>("behavior").ElementAt(3));
    }

    [Fact]
    public void Stitching_averages_windows_at_the_same_time_and_refuses_interleaved_sessions()
    {
        var ml = new MLContext(seed: 0);
        ScoredRow Row(string session, double start, double[] queries, float[] behavior) =>
            new() { SessionId = session, WindowStart = start, QueryTimes = queries, Behavior = behavior };
        var rows = new[]
        {
            // Two channels; the windows overlap at session time 10.5 (0.1 + 10.4 and 0.6 + 9.9 in float arithmetic).
            Row("a", 10.4, [0.0, 0.1], [1, 10, 2, 20]),
            Row("a", 9.9, [0.6, 0.7], [4, 40, 5, 50]),
            Row("b", 0, [0.25], [7, 70]),
        };
        var traces = ml.Data.CreateEnumerable<PoyoTraceRow>(PoyoTraceStitching.Stitch(ml.Data.LoadFromEnumerable(rows), ml, "behavior"), reuseRowObject: false).ToList();
        Assert.Equal(new[] { "a", "a", "a", "b" }, traces.Select(t => t.SessionId));
        Assert.Equal(new[] { 10.4, 10.5, 10.6, 0.25 }, traces.Select(t => Math.Round(t.Time, 9)));
        Assert.Equal(new[] { 1, 2, 1, 1 }, traces.Select(t => t.Windows));
        Assert.Equal(new float[] { 3, 30 }, traces[1].Behavior); // (2 + 4) / 2, (20 + 40) / 2

        var interleaved = PoyoTraceStitching.Stitch(ml.Data.LoadFromEnumerable(new[] { rows[0], rows[2], rows[1] }), ml, "behavior");
        var error = Assert.Throws<InvalidDataException>(() => ml.Data.CreateEnumerable<PoyoTraceRow>(interleaved, false).ToList());
        Assert.Contains("'a'", error.Message);
        var missing = Assert.Throws<ArgumentException>(() => PoyoTraceStitching.Stitch(ml.Data.LoadFromEnumerable(new[] { new { x = 1f } }), ml, "behavior"));
        Assert.Contains("session_id", missing.Message);
    }

    public sealed class ScoredRow
    {
        [ColumnName("session_id")] public string SessionId { get; set; } = "";
        [ColumnName("window_start")] public double WindowStart { get; set; }
        [ColumnName("query_times")] public double[] QueryTimes { get; set; } = [];
        [ColumnName("behavior")] public float[] Behavior { get; set; } = [];
    }

    [Fact]
    public void A_dataset_without_the_models_sessions_is_an_error_naming_them()
    {
        UseOneThread();
        var path = Path.Combine(_folder, "other");
        SyntheticDataset.Write(new SyntheticOptions { Subjects = 1, SessionsPerSubject = 1, UnitsPerSession = 4, DurationSeconds = 10, Seed = 1 }, path);
        var dataset = NeuralDataset.Open(path);
        var recording = dataset.ReadRecording(dataset.Sessions[0].SessionId);
        var renamed = new Recording("elsewhere", "x", recording.Units, recording.Spikes, recording.StartSeconds, recording.EndSeconds, recording.Behavior);
        using var decoder = PoyoTrainer.Train([renamed], new PoyoDecodingOptions { Model = PoyoModelOptions.Tiny, Channels = ["vx"], BatchSize = 2 },
            new TrainingOptions { TotalSteps = 1, WarmupSteps = 0 });
        var error = Assert.Throws<ArgumentException>(() => dataset.AsPoyoWindowView(decoder.ToArtifact(null, 0)));
        Assert.Contains("elsewhere", error.Message);
    }
}
