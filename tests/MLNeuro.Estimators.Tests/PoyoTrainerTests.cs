using MLNeuro.Loaders;
using MLNeuro.Loaders.Synthetic;
using MLNeuro.Transforms;
using static MLNeuro.Estimators.Tests.TorchTestHelpers;

namespace MLNeuro.Estimators.Tests;

public sealed class PoyoTrainerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlneuro-poyo-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private static readonly PoyoDecodingOptions Options = new()
    {
        Model = PoyoModelOptions.Tiny,
        Channels = ["vx", "vy"],
        BatchSize = 4,
        Split = new DecodingSplitOptions { TrainFraction = 0.8, ValidationFraction = 0.1 },
    };

    private static TrainingOptions Training(int steps = 30, long seed = 4) =>
        new() { TotalSteps = steps, WarmupSteps = 3, LearningRate = 3e-3, Seed = seed };

    private Recording[] Sessions()
    {
        var path = Path.Combine(_folder, "synth");
        if (!Directory.Exists(path))
            SyntheticDataset.Write(new SyntheticOptions { Subjects = 3, SessionsPerSubject = 1, UnitsPerSession = 12, DurationSeconds = 30, Seed = 2 }, path);
        var dataset = NeuralDataset.Open(path);
        return dataset.Sessions.Select(s => dataset.ReadRecording(s.SessionId)).ToArray();
    }

    private static float[] Predict(PoyoDecoder decoder, Recording recording)
    {
        var interval = DecodingSplit.Of(recording, decoder.Options.Split).Evaluation[0];
        var targets = BehaviorTargets.Read(recording, decoder.Channels, [interval]);
        var predicted = new float[targets.Values.Length];
        decoder.Predict(recording, interval, targets.Times, predicted);
        return predicted;
    }

    [Fact]
    public void Training_lowers_the_loss_and_the_same_seed_gives_the_same_model()
    {
        UseOneThread();
        var sessions = Sessions()[..2];
        var losses = new List<double>();
        using var first = PoyoTrainer.Train(sessions, Options, Training(40), new SynchronousProgress<TrainingProgress>(p => losses.Add(p.Loss)));
        using var second = PoyoTrainer.Train(sessions, Options, Training(40));
        AssertSameWeights(first.Model, second.Model);
        Assert.Equal(40, losses.Count);
        Assert.True(losses.TakeLast(10).Average() < losses.Take(10).Average(), $"loss {losses.Take(10).Average():F3} -> {losses.TakeLast(10).Average():F3}");
        Assert.Equal(new[] { "sub-01_ses-01", "sub-02_ses-01" }, first.SessionIds);
        Assert.Equal(24, first.UnitKeys.Count);
    }

    [Fact]
    public void A_routed_model_trains_over_many_steps_and_saves_with_its_onnx_graph()
    {
        // Regression: the routing predictor's loss must outlive the forward's dispose scopes.
        UseOneThread();
        var options = Options with { Model = PoyoModelOptions.Tiny with { Depth = 2, RoutingCapacity = 0.25 } };
        var losses = new List<double>();
        using var decoder = PoyoTrainer.Train(Sessions()[..1], options, Training(12), new SynchronousProgress<TrainingProgress>(p => losses.Add(p.Loss)));
        Assert.Equal(12, losses.Count);
        Assert.All(losses, l => Assert.True(double.IsFinite(l)));
        Assert.NotNull(decoder.ToArtifact(null, 4).OnnxModel);
        Assert.All(Predict(decoder, Sessions()[0]), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Artifact_round_trip_predicts_identically_and_knows_its_sessions()
    {
        UseOneThread();
        var sessions = Sessions()[..2];
        using var trained = PoyoTrainer.Train(sessions, Options, Training(10));
        var path = Path.Combine(_folder, "poyo.zip");
        trained.ToArtifact("synth", 4).Write(path);
        var artifact = ModelArtifact.Read(path);
        Assert.Equal(PoyoDecoder.ModelKind, artifact.Manifest.ModelKind);
        Assert.NotNull(artifact.OnnxModel); // parity in PoyoOnnxTests
        Assert.Equal(trained.SessionIds, PoyoDecoder.SessionsOf(artifact));
        using var loaded = PoyoDecoder.FromArtifact(artifact);
        Assert.Equal(Predict(trained, sessions[1]), Predict(loaded, sessions[1]));
        Assert.Equal(trained.Normalization.Mean, loaded.Normalization.Mean);

        var unknown = Assert.Throws<KeyNotFoundException>(() => Predict(loaded, Sessions()[2]));
        Assert.Contains("sub-03_ses-01", unknown.Message);
        Assert.Contains("unit identification", unknown.Message);
    }

    [Fact]
    public void Predictions_are_stitched_from_overlapping_windows_in_original_units()
    {
        UseOneThread();
        var sessions = Sessions()[..1];
        using var decoder = PoyoTrainer.Train(sessions, Options, Training(5));
        var recording = sessions[0];
        var interval = DecodingSplit.Of(recording, Options.Split).Evaluation[0];
        var targets = BehaviorTargets.Read(recording, decoder.Channels, [interval]);
        var stitched = new float[targets.Values.Length];
        decoder.Predict(recording, interval, targets.Times, stitched);
        // A time covered by two windows gets the mean of what each window alone predicts for it.
        int i = Array.FindIndex(targets.Times, t => t >= interval.Start + 0.75);
        double t0 = targets.Times[i];
        var alone = new float[2];
        var earlier = new float[2];
        decoder.Predict(recording, new Interval(interval.Start + 0.5, interval.Start + 1.5, "w"), [t0], alone);
        decoder.Predict(recording, new Interval(interval.Start, interval.Start + 1.0, "w"), [t0], earlier);
        for (int c = 0; c < 2; c++) Assert.Equal((alone[c] + earlier[c]) / 2, stitched[i * 2 + c], 4);
        // Denormalised: the scale of the predictions is the channel's, not z-scores.
        Assert.True(decoder.Normalization.Std[0] != 1);
    }

    [Fact]
    public void Unit_identification_learns_only_the_new_sessions_embeddings()
    {
        UseOneThread();
        var sessions = Sessions();
        using var pretrained = PoyoTrainer.Train(sessions[..2], Options, Training(10));
        var artifact = pretrained.ToArtifact("synth", 4);
        var options = new PoyoAdaptationOptions { UnitIdentificationSteps = 15, Seed = 3 };
        using var adapted = PoyoAdapter.Adapt(artifact, [sessions[2]], options);

        Assert.Equal(new[] { "sub-01_ses-01", "sub-02_ses-01", "sub-03_ses-01" }, adapted.SessionIds);
        Assert.Equal(36, adapted.UnitKeys.Count);
        var before = pretrained.Model.state_dict();
        foreach (var (name, tensor) in adapted.Model.state_dict())
        {
            if (name is "unit_emb.weight" or "session_emb.weight")
            {
                long oldRows = before[name].shape[0];
                Assert.Equal(Values(before[name]), Values(tensor.narrow(0, 0, oldRows)));
                continue;
            }
            Assert.True(Values(before[name]).SequenceEqual(Values(tensor)), $"{name} changed during unit identification");
        }
        Assert.Equal(Predict(pretrained, sessions[0]), Predict(adapted, sessions[0]));
        Assert.Equal(2, Predict(adapted, sessions[2]).Length / BehaviorTargets.Read(sessions[2], adapted.Channels, [DecodingSplit.Of(sessions[2], adapted.Options.Split).Evaluation[0]]).Count);

        var again = Assert.Throws<ArgumentException>(() => PoyoAdapter.Adapt(artifact, [sessions[0]], options));
        Assert.Contains("already knows session 'sub-01_ses-01'", again.Message);
    }

    [Fact]
    public void Fine_tuning_changes_the_trunk_and_is_reproducible()
    {
        UseOneThread();
        var sessions = Sessions();
        using var pretrained = PoyoTrainer.Train(sessions[..2], Options, Training(10));
        var artifact = pretrained.ToArtifact("synth", 4);
        var options = new PoyoAdaptationOptions { Mode = PoyoAdaptationMode.FineTune, UnitIdentificationSteps = 5, FineTuneSteps = 5, Seed = 3 };
        using var a = PoyoAdapter.Adapt(artifact, [sessions[2]], options);
        using var b = PoyoAdapter.Adapt(artifact, [sessions[2]], options);
        AssertSameWeights(a.Model, b.Model);
        var before = pretrained.Model.state_dict();
        Assert.False(Values(before["readout.weight"]).SequenceEqual(Values(a.Model.state_dict()["readout.weight"])));
    }

    [Fact]
    public void Calcium_recordings_train_and_decode_through_value_tokens()
    {
        // 6 cells imaged at 10 Hz for 40 s; cell 0's dF/F follows the behaviour channel, the others are noise.
        UseOneThread();
        var random = new Random(3);
        int frames = 400, cells = 6;
        var frameTimes = Enumerable.Range(0, frames).Select(f => f * 0.1).ToArray();
        var speed = frameTimes.Select(t => (float)Math.Sin(t * 0.7)).ToArray();
        var values = new float[cells * frames];
        for (int c = 0; c < cells; c++)
            for (int f = 0; f < frames; f++)
                values[c * frames + f] = c == 0 ? speed[f] : (float)random.NextDouble();
        var builder = new RecordingBuilder("imaging", "mouse");
        for (int c = 0; c < cells; c++) builder.AddUnit(new UnitInfo($"cell{c}"));
        builder.SetTraces(new CalciumTraces(frameTimes, cells, values));
        builder.SetBehavior(new BehaviorSeries(frameTimes, ["speed"], [speed]));
        builder.SetDomain(0, 40);
        var recording = builder.Build();

        var options = new PoyoDecodingOptions { Model = PoyoModelOptions.Tiny, Channels = ["speed"], BatchSize = 4 };
        var losses = new List<double>();
        using var decoder = PoyoTrainer.Train([recording], options, Training(20), new SynchronousProgress<TrainingProgress>(p => losses.Add(p.Loss)));
        Assert.All(losses, l => Assert.True(double.IsFinite(l)));
        var predicted = Predict(decoder, recording);
        Assert.Equal(BehaviorTargets.Read(recording, ["speed"], [DecodingSplit.Of(recording, options.Split).Evaluation[0]]).Count, predicted.Length);
        Assert.All(predicted, v => Assert.True(float.IsFinite(v)));
        // The value projection learned: it is the only path by which dF/F values reach the model.
        using var untrained = PoyoTrainer.CreateDecoder([recording], [DecodingSplit.Of(recording, options.Split)], options, Training(20).Seed);
        var before = Values(untrained.Model.state_dict()["value_proj.weight"]);
        var after = Values(decoder.Model.state_dict()["value_proj.weight"]);
        Assert.NotEqual(before, after);
    }
}
