using MLNeuro.Loaders;
using MLNeuro.Transforms;
using static MLNeuro.Estimators.Tests.DecodingTestData;

namespace MLNeuro.Estimators.Tests;

public sealed class MlpDecoderTests
{
    private static readonly MlpOptions Tiny = new()
    {
        Lags = 5, HiddenDim = 32, BatchSize = 64, ValidationEverySteps = 50,
        Training = new TrainingOptions { TotalSteps = 300, WarmupSteps = 20, LearningRate = 3e-3, WeightDecay = 0.01, Seed = 5 },
    };

    private static readonly Lazy<(Recording[] Recordings, DecodingSplit[] Splits, MlpDecoder Decoder)> Trained = new(() =>
    {
        TorchTestHelpers.UseOneThread();
        Recording[] recordings = [Linear("a", seed: 1), Linear("b", seed: 2, units: 16, startSeconds: 50)];
        var splits = recordings.Select(r => Split(r)).ToArray();
        return (recordings, splits, MlpDecoder.Train(recordings, splits, Channels, Tiny));
    });

    /// Measured: R² 0.50-0.73 per session and channel, weights of step 200 kept.
    [Fact]
    public void Mlp_decodes_linearly_tuned_units_on_held_out_time()
    {
        var (recordings, splits, decoder) = Trained.Value;
        var evaluation = Evaluate(decoder, recordings, splits);
        foreach (var session in evaluation.Sessions)
            Assert.All(session.R2, r2 => Assert.True(r2 > 0.4, $"{session.SessionId}: R² {string.Join(", ", session.R2)}"));
        Assert.InRange(decoder.ChosenStep, 50, Tiny.Training.TotalSteps);
    }

    /// Measured: R² -0.26 and -0.05.
    [Fact]
    public void Mlp_on_shuffled_behaviour_stays_near_chance()
    {
        TorchTestHelpers.UseOneThread();
        Recording[] recordings = [Shuffled(Linear("a", seed: 1), seed: 99)];
        var splits = recordings.Select(r => Split(r)).ToArray();
        using var decoder = MlpDecoder.Train(recordings, splits, Channels, Tiny);
        var evaluation = Evaluate(decoder, recordings, splits);
        Assert.All(evaluation.Pooled.R2, r2 => Assert.True(r2 < 0.1, $"R² {string.Join(", ", evaluation.Pooled.R2)}"));
    }

    [Fact]
    public void Mlp_with_the_same_seed_gives_identical_predictions()
    {
        var (recordings, splits, decoder) = Trained.Value;
        TorchTestHelpers.UseOneThread();
        using var again = MlpDecoder.Train(recordings, splits, Channels, Tiny);
        Assert.Equal(Predictions(decoder, recordings, splits), Predictions(again, recordings, splits));
        using var other = MlpDecoder.Train(recordings, splits, Channels, Tiny with { Training = Tiny.Training with { Seed = 6 } });
        Assert.NotEqual(Predictions(decoder, recordings, splits), Predictions(other, recordings, splits));
    }

    [Fact]
    public void Mlp_never_reads_evaluation_behaviour()
    {
        TorchTestHelpers.UseOneThread();
        var recording = Linear("a", seed: 1, seconds: 60);
        var split = Split(recording);
        double cut = split.Evaluation[0].Start;
        var garbage = WithBehavior(recording, (t, _, v) => t >= cut ? (t % 1 < 0.5 ? float.NaN : 1e6f) : v);
        var options = Tiny with { Training = Tiny.Training with { TotalSteps = 100 } };
        using var clean = MlpDecoder.Train([recording], [split], Channels, options);
        using var dirty = MlpDecoder.Train([garbage], [Split(garbage)], Channels, options);
        Assert.Equal(clean.ChosenStep, dirty.ChosenStep);
        Assert.Equal(Predictions(clean, [recording], [split]), Predictions(dirty, [recording], [split]));
    }

    [Fact]
    public void Mlp_artifact_round_trip_gives_identical_predictions()
    {
        var (recordings, splits, decoder) = Trained.Value;
        using var folder = new TempFolder();
        var path = folder.Combine("mlp.zip");
        decoder.ToArtifact("synthetic").Write(path);
        var artifact = ModelArtifact.Read(path);
        Assert.Equal(MlpDecoder.ModelKind, artifact.Manifest.ModelKind);
        using var loaded = MlpDecoder.FromArtifact(artifact);
        Assert.Equal(decoder.Sessions, loaded.Sessions);
        Assert.Equal(decoder.ChosenStep, loaded.ChosenStep);
        Assert.Equal(Predictions(decoder, recordings, splits), Predictions(loaded, recordings, splits));
    }

    [Fact]
    public void Mlp_names_the_sessions_it_knows_for_an_unknown_session()
    {
        var (_, _, decoder) = Trained.Value;
        var other = Linear("other", seed: 3, seconds: 10);
        var error = Assert.Throws<ArgumentException>(() => Evaluate(decoder, [other], [Split(other)]));
        Assert.Contains("'other'", error.Message);
        Assert.Contains("a, b", error.Message);
    }

    [Fact]
    public void Mlp_rejects_a_wiener_artifact()
    {
        var recording = Linear("a", seed: 1, seconds: 30);
        var wiener = WienerFilterDecoder.Train([recording], [Split(recording, 0)], Channels, new WienerFilterOptions { Lags = 2, MaxIterations = 5 });
        var error = Assert.Throws<InvalidDataException>(() => MlpDecoder.FromArtifact(wiener.ToArtifact()));
        Assert.Contains("'wiener'", error.Message);
    }
}
