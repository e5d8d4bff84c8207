using MLNeuro.Loaders;
using MLNeuro.Loaders.Synthetic;
using MLNeuro.Transforms;
using static MLNeuro.Estimators.Tests.TorchTestHelpers;
using static TorchSharp.torch;

namespace MLNeuro.Estimators.Tests;

/// The parts of POYO's reference recipe: dropout, triangular unit dropout, per-interval loss weights, the SSL
/// supervised term, and the recipes that bundle them.
public sealed class PoyoReferenceModeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlneuro-poyo-ref-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private static readonly PoyoModelOptions Dropped = PoyoModelOptions.Tiny with
    {
        Depth = 2, AttentionDropout = 0.2, FeedForwardDropout = 0.2, ResidualDropout = 0.4,
    };

    private static readonly PoyoDecodingOptions Options = new() { Model = PoyoModelOptions.Tiny, Channels = ["vx", "vy"], BatchSize = 4 };

    private Recording[] Sessions(int units = 16)
    {
        var path = Path.Combine(_folder, $"synth-{units}");
        if (!Directory.Exists(path))
            SyntheticDataset.Write(new SyntheticOptions { Subjects = 2, SessionsPerSubject = 1, UnitsPerSession = units, DurationSeconds = 30, Seed = 5 }, path);
        var dataset = NeuralDataset.Open(path);
        return dataset.Sessions.Select(s => dataset.ReadRecording(s.SessionId)).ToArray();
    }

    private static PoyoModel Model(PoyoModelOptions options)
    {
        using var g = new Generator(11);
        return new PoyoModel(options, 7, 3, 2, 1.0, g);
    }

    private static PoyoBatch Window()
    {
        var units = new long[] { 1, 4, 6, 1, 4, 1, 6, 4, 1, 4, 6 };
        var types = new long[] { 1, 1, 1, 0, 0, 0, 0, 0, 2, 2, 2 };
        var times = new[] { 0, 0, 0, 0.1, 0.25, 0.4, 0.55, 0.9, 1, 1, 1 };
        int n = units.Length;
        return new PoyoBatch
        {
            UnitIndex = tensor(units).view(1, n),
            TokenType = tensor(types).view(1, n),
            TokenValue = zeros(1, n),
            TokenTimes = tensor(times, ScalarType.Float64).view(1, n),
            TokenPadding = zeros(1, n, ScalarType.Bool),
            SessionIndex = tensor(new[] { 1L }),
            QueryTimes = tensor(new[] { 0.2, 0.5, 0.8 }, ScalarType.Float64).view(1, 3),
        };
    }

    [Fact]
    public void Dropout_is_seeded_in_training_and_absent_in_eval_and_in_the_onnx_graph()
    {
        UseOneThread();
        using var dropped = Model(Dropped);
        using var plain = Model(Dropped with { AttentionDropout = 0, FeedForwardDropout = 0, ResidualDropout = 0 });
        using var batch = Window();
        AssertSameWeights(plain, dropped); // dropout has no parameters and draws nothing at initialisation

        dropped.train();
        float[] Train(ulong seed)
        {
            using var g = new Generator(seed);
            dropped.DropoutGenerator = g;
            using var _ = no_grad();
            using var output = dropped.forward(batch);
            return Values(output);
        }
        Assert.Equal(Train(5), Train(5));              // same seed, same masks
        Assert.NotEqual(Train(5), Train(6));           // dropout is on in training
        dropped.DropoutGenerator = null;

        dropped.eval();
        plain.eval();
        using (no_grad())
        {
            using var a = dropped.forward(batch);
            using var b = plain.forward(batch);
            Assert.Equal(Values(b), Values(a));       // eval: bit for bit the model without dropout, no generator needed
        }
        Assert.Equal(plain.ExportOnnx([0, 0], [1, 1]), dropped.ExportOnnx([0, 0], [1, 1])); // same graph, byte for byte

        dropped.train();
        var error = Assert.Throws<InvalidOperationException>(() => dropped.forward(batch));
        Assert.Contains("generator", error.Message);
    }

    [Fact]
    public void The_1_3M_configuration_has_the_references_cross_heads_and_dropouts()
    {
        var m = PoyoModelOptions.Named("1.3M");
        Assert.Equal((2, 0.2, 0.2, 0.4), (m.CrossHeads, m.AttentionDropout, m.FeedForwardDropout, m.ResidualDropout));
        Assert.Equal((1, 0.0), (PoyoModelOptions.Tiny.CrossHeads, PoyoModelOptions.Tiny.ResidualDropout));
        Assert.Throws<ArgumentOutOfRangeException>(() => (PoyoModelOptions.Tiny with { ResidualDropout = 1 }).Validate());
    }

    [Fact]
    public void Triangular_unit_counts_stay_within_bounds_capped_by_the_population_and_are_seeded()
    {
        var reference = PoyoUnitDropout.Reference;
        int[] Draw(int population, int seed)
        {
            var random = new Random(seed);
            return Enumerable.Range(0, 2000).Select(_ => TriangularUnitCount.Sample(population, reference, random)).ToArray();
        }
        var large = Draw(1000, 1);
        Assert.All(large, k => Assert.InRange(k, 30, 299));
        Assert.InRange(large.Count(k => k < 100) / 2000.0, 0.15, 0.5);   // mass on both sides of the mode
        Assert.InRange(large.Count(k => k >= 200) / 2000.0, 0.1, 0.5);
        Assert.Equal(large, Draw(1000, 1));
        Assert.NotEqual(large, Draw(1000, 2));
        var capped = Draw(64, 1);
        Assert.All(capped, k => Assert.InRange(k, 30, 64));
        Assert.Contains(64, capped);
        Assert.Contains(capped, k => k < 64);
        Assert.All(Draw(20, 1), k => Assert.Equal(20, k));       // fewer than min: every unit kept

        // Through the sampler: each window keeps exactly the drawn count of its session's units.
        var options = Options with { UnitDropout = reference with { MinUnits = 5, ModeUnits = 10, MaxUnits = 40 } };
        var sessions = Sessions(units: 24);
        var parts = sessions.Select((r, i) => (new PoyoSession(r, i, Enumerable.Range(0, r.Units.Count).ToArray(), null, options.Channels),
            DecodingSplit.Of(r, options.Split).Train)).ToArray();
        var sampler = new PoyoWindowSampler(parts, options);
        var kept = sampler.Next(new Random(9)).Select(w => w.KeptUnits!.Count(k => k)).ToArray();
        Assert.All(kept, k => Assert.InRange(k, 5, 24));
        Assert.Equal(kept, sampler.Next(new Random(9)).Select(w => w.KeptUnits!.Count(k => k)));
        Assert.Null(new PoyoWindowSampler(parts, options with { UnitDropout = null }).Next(new Random(9))[0].KeptUnits);
    }

    [Fact]
    public void Interval_loss_weights_multiply_the_targets_weights_inside_intervals_of_that_kind()
    {
        var source = Sessions()[0];
        // "reach" intervals over part of the time (the synthetic trials tile the whole session).
        var reaches = Enumerable.Range(0, 15).Select(k => new Interval(source.StartSeconds + 2 * k, source.StartSeconds + 2 * k + 0.7, "reach")).ToArray();
        var recording = new Recording(source.SessionId, source.SubjectId, source.Units, source.Spikes, source.StartSeconds, source.EndSeconds,
            source.Behavior, new IntervalSet(source.Intervals.Concat(reaches)));
        var trials = reaches;
        var options = Options with { IntervalLossWeights = new Dictionary<string, double> { ["reach"] = 5, ["absent-kind"] = 0.1 }, UnitDropout = null };
        var normalization = ChannelNormalization.Fit([BehaviorTargets.Read(recording, options.Channels, DecodingSplit.Of(recording, options.Split).Train)], options.Channels);
        var session = new PoyoSession(recording, 0, Enumerable.Range(0, recording.Units.Count).ToArray(), normalization, options.Channels, options.IntervalLossWeights);
        var sampler = new PoyoWindowSampler([(session, DecodingSplit.Of(recording, options.Split).Train)], options);
        var windows = sampler.Next(new Random(1));
        using var batch = new PoyoBatchBuilder(options).Build(windows);
        var weights = Values(batch.TargetWeights!);
        var targets = Values(batch.Targets!);
        long q = batch.QueryTimes.shape[1];
        int inside = 0, outside = 0;
        for (int w = 0; w < windows.Count; w++)
            for (int k = 0; k < windows[w].QueryTimes.Length; k++)
            {
                double t = windows[w].QueryTimes[k];
                float expected = trials.Any(i => t >= i.Start && t < i.End) ? 5f : 1f;
                for (int c = 0; c < 2; c++)
                {
                    long at = (w * q + k) * 2 + c;
                    bool finite = float.IsFinite(windows[w].Targets![k * 2 + c]);
                    Assert.Equal(finite ? expected : 0f, weights[at]);
                }
                if (expected == 5f) inside++; else outside++;
            }
        Assert.True(inside > 0 && outside > 0, $"the windows should cover both trial and inter-trial time ({inside}, {outside})");

        // The loss uses them: Σ w (p - t)² / Σ w.
        using var predicted = zeros_like(batch.Targets!);
        using var loss = PoyoTrainer.WeightedMse(predicted, batch.Targets!, batch.TargetWeights!);
        double expectedLoss = weights.Zip(targets, (w, t) => (double)w * t * t).Sum() / weights.Sum(w => (double)w);
        Assert.Equal(expectedLoss, loss.item<float>(), 4);
    }

    [Fact]
    public void The_ssl_supervised_term_trains_the_decoder_during_pretraining_and_zero_leaves_it_untouched()
    {
        UseOneThread();
        var sessions = Sessions()[..1];
        var training = new TrainingOptions { TotalSteps = 3, WarmupSteps = 0, LearningRate = 3e-3, WeightDecay = 0, Seed = 1 };
        var splits = sessions.Select(r => DecodingSplit.Of(r, Options.Split)).ToArray();
        using var initial = PoyoTrainer.CreateDecoder(sessions, splits, Options, training.Seed);
        float[] Readout(PoyoDecoder d) => Values(d.Model.named_parameters().Single(p => p.name == "readout.weight").parameter.detach());
        float[] Decoder(PoyoDecoder d) => Values(d.Model.named_parameters().Single(p => p.name == "dec.attn.to_q.weight").parameter.detach());

        foreach (var ssl in new[] { new PoyoSslOptions { PredictableOnly = false }, PoyoSslOptions.Reference with { PredictableOnly = false } })
        {
            Assert.Equal(0.01, ssl.SupervisedWeight); // the reference's lambda is the default
            using var pretrained = PoyoSslPretrainer.Pretrain(sessions, Options, ssl, training).Decoder;
            Assert.NotEqual(Readout(initial), Readout(pretrained));
            Assert.NotEqual(Decoder(initial), Decoder(pretrained));
        }
        using var selfSupervised = PoyoSslPretrainer.Pretrain(sessions, Options, new PoyoSslOptions { PredictableOnly = false, SupervisedWeight = 0 }, training).Decoder;
        Assert.Equal(Readout(initial), Readout(selfSupervised));
        Assert.Equal(Decoder(initial), Decoder(selfSupervised));
    }

    [Fact]
    public void Reference_ssl_objective_zeroes_masks_and_reaches_both_branches()
    {
        UseOneThread();
        var sessions = Sessions()[..1];
        var ssl = PoyoSslOptions.Reference with { PredictableOnly = false, SupervisedWeight = 0 };
        using var decoder = PoyoSslPretrainer.Pretrain(sessions, Options, ssl, new TrainingOptions { TotalSteps = 1, WarmupSteps = 0, Seed = 1 }).Decoder;
        var session = new PoyoSession(sessions[0], 0, PoyoSession.RowsOf(sessions[0], decoder.Units), decoder.Normalization, Options.Channels);
        var sampler = new PoyoWindowSampler([(session, DecodingSplit.Of(sessions[0], Options.Split).Train)], Options);
        using var batch = new PoyoBatchBuilder(Options).Build(sampler.Next(new Random(3)));
        decoder.Model.train();
        decoder.Model.zero_grad();
        using var generator = new Generator(4);
        using var loss = PoyoSslPretrainer.MaskedLatentLoss(decoder.Model, batch, ssl, generator);
        loss.backward();
        var grads = decoder.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        Assert.True(grads["mask_emb.weight"] is null || grads["mask_emb.weight"]!.abs().sum().item<float>() == 0); // zeros, not the learned token
        Assert.True(grads["enc.attn.to_kv.weight"]!.abs().sum().item<float>() > 0);
        Assert.True(grads["proc.0.attn.to_qkv.weight"]!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Recipes_carry_the_reference_settings_and_the_cpu_budget_settings()
    {
        var decoding = Options with { BatchSize = 128 };
        var reference = PoyoRecipe.Reference(decoding, 1000, seed: 3);
        Assert.Equal(TrainingOptimizer.Lamb, reference.Training.Optimizer);
        Assert.Equal(4e-3, reference.Training.LearningRate, 12);
        Assert.Equal((0, 0.5, 1e-4, 0.0, 1e-4, true), (reference.Training.WarmupSteps, reference.Training.PeakHoldFraction,
            reference.Training.FinalLearningRateFraction, reference.Training.ClipNorm, reference.Training.WeightDecay, reference.Training.CycleBeta1));
        Assert.Equal((2, 0.2, 0.2, 0.4), (reference.Decoding.Model.CrossHeads, reference.Decoding.Model.AttentionDropout,
            reference.Decoding.Model.FeedForwardDropout, reference.Decoding.Model.ResidualDropout));
        Assert.Equal(PoyoUnitDropout.Reference, reference.Decoding.UnitDropout);
        Assert.Equal((1000, 3L), (reference.Training.TotalSteps, reference.Training.Seed));
        reference.Training.Validate();
        reference.Decoding.Validate();

        var cpu = PoyoRecipe.Cpu(decoding, 1000, seed: 3);
        cpu.Training.Validate();
        Assert.Equal(decoding.Model, cpu.Decoding.Model);
        Assert.Null(cpu.Decoding.UnitDropout);
        Assert.Equal((TrainingOptimizer.AdamW, 2e-3, 100, 1.0), (cpu.Training.Optimizer, cpu.Training.LearningRate, cpu.Training.WarmupSteps, cpu.Training.ClipNorm));

        var sessions = Sessions();
        double windows = PoyoRecipe.WindowsPerEpoch(sessions, Options);
        Assert.Equal(2 * Math.Floor(30 * 0.8), windows); // 1 s windows in each session's training part (24 s)
        Assert.Equal((int)Math.Ceiling(3 * windows / 4), PoyoRecipe.StepsForEpochs(sessions, Options, 3));
    }
}
