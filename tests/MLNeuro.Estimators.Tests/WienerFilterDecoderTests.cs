using MLNeuro.Loaders;
using static MLNeuro.Estimators.Tests.DecodingTestData;

namespace MLNeuro.Estimators.Tests;

public sealed class WienerFilterDecoderTests
{
    private static readonly WienerFilterOptions Fast = new() { BinSeconds = 0.05, Lags = 5, RidgeGrid = [1e-3, 1e-1, 1e3], MaxIterations = 20 };

    private static readonly Lazy<(Recording[] Recordings, DecodingSplit[] Splits, WienerFilterDecoder Decoder)> Trained = new(() =>
    {
        Recording[] recordings = [Linear("a", seed: 1), Linear("b", seed: 2, units: 16, startSeconds: 50)];
        var splits = recordings.Select(r => Split(r)).ToArray();
        return (recordings, splits, WienerFilterDecoder.Train(recordings, splits, Channels, Fast));
    });

    /// Measured: R² 0.55-0.72 per session and channel (the closed-form ridge solution reaches the same on this data).
    [Fact]
    public void Wiener_filter_decodes_linearly_tuned_units_on_held_out_time()
    {
        var (recordings, splits, decoder) = Trained.Value;
        var evaluation = Evaluate(decoder, recordings, splits);
        foreach (var session in evaluation.Sessions)
            Assert.All(session.R2, r2 => Assert.True(r2 > 0.4, $"{session.SessionId}: R² {string.Join(", ", session.R2)}"));
    }

    /// Measured: R² -0.49 and -0.07.
    [Fact]
    public void Wiener_filter_on_shuffled_behaviour_stays_near_chance()
    {
        Recording[] recordings = [Shuffled(Linear("a", seed: 1), seed: 99)];
        var splits = recordings.Select(r => Split(r)).ToArray();
        var decoder = WienerFilterDecoder.Train(recordings, splits, Channels, Fast);
        var evaluation = Evaluate(decoder, recordings, splits);
        Assert.All(evaluation.Pooled.R2, r2 => Assert.True(r2 < 0.1, $"R² {string.Join(", ", evaluation.Pooled.R2)}"));
    }

    [Fact]
    public void Wiener_filter_picks_the_ridge_strength_on_validation_and_uses_the_default_without_it()
    {
        var (_, _, decoder) = Trained.Value;
        foreach (var session in decoder.Sessions)
            Assert.All(decoder.RidgeStrengths(session), r => Assert.NotEqual(1e3, r)); // the absurd strength never wins

        var recording = Linear("a", seed: 1);
        var noValidation = WienerFilterDecoder.Train([recording], [Split(recording, validation: 0)], Channels, Fast with { DefaultRidge = 0.5 });
        Assert.Equal([0.5, 0.5], noValidation.RidgeStrengths("a"));
    }

    [Fact]
    public void Wiener_filter_never_reads_evaluation_behaviour()
    {
        var recording = Linear("a", seed: 1);
        var split = Split(recording);
        double cut = split.Evaluation[0].Start;
        var garbage = WithBehavior(recording, (t, _, v) => t >= cut ? (t % 1 < 0.5 ? float.NaN : 1e6f) : v);
        var clean = WienerFilterDecoder.Train([recording], [split], Channels, Fast);
        var dirty = WienerFilterDecoder.Train([garbage], [Split(garbage)], Channels, Fast);
        Assert.Equal(clean.RidgeStrengths("a"), dirty.RidgeStrengths("a"));
        Assert.Equal(Predictions(clean, [recording], [split]), Predictions(dirty, [recording], [split]));
    }

    [Fact]
    public void Wiener_filter_artifact_round_trip_gives_identical_predictions()
    {
        var (recordings, splits, decoder) = Trained.Value;
        using var folder = new TempFolder();
        var path = folder.Combine("wiener.zip");
        decoder.ToArtifact("synthetic").Write(path);
        var artifact = ModelArtifact.Read(path);
        Assert.Equal(WienerFilterDecoder.ModelKind, artifact.Manifest.ModelKind);
        var loaded = WienerFilterDecoder.FromArtifact(artifact);
        Assert.Equal(decoder.Channels, loaded.Channels);
        Assert.Equal(decoder.Sessions, loaded.Sessions);
        Assert.Equal(Predictions(decoder, recordings, splits), Predictions(loaded, recordings, splits));
    }

    [Fact]
    public void Wiener_filter_names_the_sessions_it_knows_for_an_unknown_session()
    {
        var (_, _, decoder) = Trained.Value;
        var other = Linear("other", seed: 3, seconds: 10);
        var error = Assert.Throws<ArgumentException>(() => Evaluate(decoder, [other], [Split(other)]));
        Assert.Contains("'other'", error.Message);
        Assert.Contains("a, b", error.Message);
    }
}
