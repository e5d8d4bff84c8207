using MLNeuro.Loaders;
using MLNeuro.Loaders.Synthetic;
using MLNeuro.Transforms;
using static MLNeuro.Estimators.Tests.TorchTestHelpers;

namespace MLNeuro.Estimators.Tests;

public sealed class PoyoSslTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlneuro-poyo-ssl-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private static readonly PoyoDecodingOptions Options = new() { Model = PoyoModelOptions.Tiny, Channels = ["vx", "vy"], BatchSize = 4 };

    private Recording[] Sessions()
    {
        var path = Path.Combine(_folder, "synth");
        SyntheticDataset.Write(new SyntheticOptions { Subjects = 2, SessionsPerSubject = 1, UnitsPerSession = 16, DurationSeconds = 30, Seed = 5 }, path);
        var dataset = NeuralDataset.Open(path);
        return dataset.Sessions.Select(s => dataset.ReadRecording(s.SessionId)).ToArray();
    }

    [Fact]
    public void Pretraining_sees_only_the_predictable_units_and_fine_tuning_adds_the_rest()
    {
        UseOneThread();
        var sessions = Sessions();
        var training = new TrainingOptions { TotalSteps = 12, WarmupSteps = 2, LearningRate = 3e-3, Seed = 2 };
        var losses = new List<double>();
        var result = PoyoSslPretrainer.Pretrain(sessions, Options, new PoyoSslOptions(), training, new Recorder(losses));
        using var pretrained = result.Decoder;
        var selection = result.Selection!;
        Assert.InRange(selection.PredictableCount, 1, 31);
        Assert.Equal(selection.PredictableCount, pretrained.UnitKeys.Count);
        Assert.All(pretrained.UnitKeys, key => Assert.True(selection.IsPredictable(key.Split('/')[0], key.Split('/')[1])));
        Assert.All(losses, l => Assert.True(double.IsFinite(l) && l > 0));

        // Same seed, same pretraining (masks come from the seeded generator).
        var again = PoyoSslPretrainer.Pretrain(sessions, Options, new PoyoSslOptions(), training);
        using (again.Decoder) AssertSameWeights(pretrained.Model, again.Decoder.Model);

        var unpredictable = sessions.Select(r => selection.Apply(r, SelectionAction.Drop)).ToArray();
        using var tuned = PoyoSslPretrainer.FineTune(pretrained.ToArtifact(null, 2), unpredictable, training with { TotalSteps = 4 });
        Assert.Equal(32, tuned.UnitKeys.Count);
        Assert.Equal(pretrained.UnitKeys, tuned.UnitKeys.Take(pretrained.UnitKeys.Count));
    }

    [Fact]
    public void The_masked_latent_loss_trains_the_mask_embedding_and_the_trunk()
    {
        UseOneThread();
        var sessions = Sessions()[..1];
        var result = PoyoSslPretrainer.Pretrain(sessions, Options, new PoyoSslOptions { PredictableOnly = false }, new TrainingOptions { TotalSteps = 1, WarmupSteps = 0, Seed = 1 });
        using var decoder = result.Decoder;
        Assert.Null(result.Selection);
        var session = new PoyoSession(sessions[0], 0, PoyoSession.RowsOf(sessions[0], decoder.Units), decoder.Normalization, Options.Channels);
        var sampler = new PoyoWindowSampler([(session, DecodingSplit.Of(sessions[0], Options.Split).Train)], Options);
        using var batch = new PoyoBatchBuilder(Options).Build(sampler.Next(new Random(3)));
        decoder.Model.train();
        decoder.Model.zero_grad(); // pretraining's last step left its gradients (the supervised term's among them)
        using var generator = new TorchSharp.torch.Generator(4);
        using var loss = PoyoSslPretrainer.MaskedLatentLoss(decoder.Model, batch, new PoyoSslOptions { SupervisedWeight = 0 }, generator);
        loss.backward();
        var grads = decoder.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        Assert.True(grads["mask_emb.weight"]!.abs().sum().item<float>() > 0);
        Assert.True(grads["enc.attn.to_kv.weight"]!.abs().sum().item<float>() > 0);
        // Without the supervised term the readout is not part of the objective.
        Assert.True(grads["readout.weight"] is null || grads["readout.weight"]!.abs().sum().item<float>() == 0);
    }

    private sealed class Recorder(List<double> losses) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => losses.Add(value.Loss);
    }
}
