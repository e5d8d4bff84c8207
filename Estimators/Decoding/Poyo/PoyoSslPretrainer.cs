using System.Text.Json;
using MLNeuro.Loaders;
using MLNeuro.Transforms;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>What <see cref="PoyoSslPretrainer.Pretrain"/> returns: the pretrained decoder and the neuron selection it used.</summary>
/// <param name="Decoder">The pretrained network (its readout is untrained unless the supervised term was on).</param>
/// <param name="Selection">Predictable / unpredictable units, fitted on the pretraining split; null when every neuron was used.</param>
public sealed record PoyoSslResult(PoyoDecoder Decoder, PredictableNeuronSelection? Selection);

/// <summary>
/// POYO-SSL: self-supervised pretraining of the POYO trunk on the statistically predictable neurons, then supervised
/// fine-tuning on the rest (<see cref="FineTune"/>).
/// </summary>
/// <remarks>
/// <para><b>Selection</b>: predictable neurons are chosen on the training part of each session only (the recording cut
/// to its training interval), never on validation or evaluation time.</para>
/// <para><b>Objective</b> (masked latents): each window's latents leave the encoder cross-attention; a random
/// <see cref="PoyoSslOptions.MaskRatio"/> of them (drawn from the step's seeded generator) are replaced by a learned mask
/// embedding before the self-attention blocks; the loss is the mean L1 distance, at the masked positions, between the
/// student's output latents and the targets, both layer-normalised (no affine), as data2vec normalises its targets.
/// <b>Target choice</b>: the un-masked pass of the same network with gradients stopped (not an EMA target encoder): it
/// needs no second copy of the weights and no momentum schedule. Its known risk is collapse (all latents alike); the
/// normalisation of each latent removes the trivial constant solution per latent only, so the per-step report shows
/// the loss and the fine-tuning comparison in README is the test of whether the pretraining helped.</para>
/// <para><b>Supervised term</b> (<see cref="PoyoSslOptions.SupervisedWeight"/>, 0.01 by default as the reference's
/// lambda): the behaviour MSE through the decoder, so the decoder, session embedding and readout train during
/// pretraining and fine-tuning does not start them from scratch. <b>Reference objective</b>
/// (<see cref="PoyoSslOptions.Reference"/>): zeroed masks and MSE to the un-masked branch with gradients through both.</para>
/// </remarks>
/// <example><code>
/// var result = PoyoSslPretrainer.Pretrain(recordings, options, new PoyoSslOptions(), new TrainingOptions { TotalSteps = 2000 });
/// using var tuned = PoyoSslPretrainer.FineTune(result.Decoder.ToArtifact(null, 0),
///     recordings.Select(r => result.Selection!.Apply(r, SelectionAction.Drop)).ToArray(), new TrainingOptions { TotalSteps = 1000 });
/// </code></example>
public static class PoyoSslPretrainer
{
    /// <summary>Selects predictable neurons on the training parts (when asked) and pretrains on them.</summary>
    public static PoyoSslResult Pretrain(IReadOnlyList<Recording> recordings, PoyoDecodingOptions options, PoyoSslOptions ssl, TrainingOptions training,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default, bool resume = false)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ssl);
        ArgumentNullException.ThrowIfNull(training);
        options.Validate();
        ssl.Validate();
        training.Validate();
        if (recordings.Count == 0) throw new ArgumentException("no session to pretrain on", nameof(recordings));
        TorchRuntime.EnsureAvailable();

        var splits = recordings.Select(r => DecodingSplit.Of(r, options.Split)).ToArray();
        PredictableNeuronSelection? selection = null;
        var used = recordings;
        if (ssl.PredictableOnly)
        {
            // Statistics from training time only: the time split's training interval, or the training interval kind.
            var byKind = options.Split.TrainIntervalKind is { } kind ? ssl.Selection with { IntervalKind = kind } : null;
            var selector = new PredictableNeuronSelector(byKind ?? ssl.Selection);
            selection = selector.Fit(byKind is null ? recordings.Select((r, i) => TrainingPart(r, splits[i])) : recordings, cancellationToken);
            used = recordings.Select(r => selection.Apply(r, SelectionAction.Keep)).ToArray();
            var empty = used.Where(r => r.Units.Count == 0).Select(r => r.SessionId).ToArray();
            if (empty.Length > 0)
                throw new ArgumentException($"no predictable neuron in session(s) {string.Join(", ", empty)}: loosen the selection thresholds or pretrain on every neuron", nameof(ssl));
        }

        var decoder = PoyoTrainer.CreateDecoder(used, splits, options, training.Seed);
        var model = decoder.Model;
        try
        {
            var sampler = PoyoTrainer.Sampler(decoder, used, splits);
            var builder = new PoyoBatchBuilder(options);
            long seed = training.Seed;
            TrainingLoop.Run(model, (step, generator) =>
            {
                using var batch = builder.Build(sampler.Next(StepRandom.For(seed, step)));
                return MaskedLatentLoss(model, batch, ssl, generator);
            }, training, progress, cancellationToken, resume, new Dictionary<string, string>(
                TrainingRunSettings.ModelAndSessions(JsonSerializer.Serialize(options), used.Select(r => r.SessionId)))
            {
                ["ssl"] = JsonSerializer.Serialize(ssl),
            });
            model.DropoutGenerator = null;
            model.eval();
            return new PoyoSslResult(decoder, selection);
        }
        catch
        {
            decoder.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Fine-tunes a pretrained POYO artifact on <paramref name="recordings"/> (typically the unpredictable population):
    /// units the model lacks get fresh embeddings, then every parameter trains on behaviour as <see cref="PoyoTrainer"/> does.
    /// </summary>
    public static PoyoDecoder FineTune(ModelArtifact pretrained, IReadOnlyList<Recording> recordings, TrainingOptions training,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default, bool resume = false)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        training.Validate();
        var decoder = PoyoDecoder.FromArtifact(pretrained);
        try
        {
            decoder.AddVocabulary(recordings, training.Seed);
            var splits = recordings.Select(r => DecodingSplit.Of(r, decoder.Options.Split)).ToArray();
            PoyoTrainer.Fit(decoder, recordings, splits, training, progress, cancellationToken, resume);
            return decoder;
        }
        catch
        {
            decoder.Dispose();
            throw;
        }
    }

    /// <summary>The masked-latent loss of one batch (plus the variance and supervised terms).</summary>
    internal static Tensor MaskedLatentLoss(PoyoModel model, PoyoBatch batch, PoyoSslOptions ssl, Generator generator)
    {
        long b = batch.UnitIndex.shape[0], m = model.LatentTokens;
        var masked = rand(new long[] { b, m }, generator: generator) < ssl.MaskRatio;
        model.DropoutGenerator = generator;
        bool zeroMask = ssl.Mask == PoyoSslMask.Zero;
        if (ssl.Target == PoyoSslTarget.UnmaskedBranch)
        {
            // The reference: both branches keep their gradients; the decoder reads the un-masked one.
            var unmasked = model.EncodeLatents(batch, null);
            var branch = model.EncodeLatents(batch, masked, zeroMask);
            var reconstruction = nn.functional.mse_loss(branch, unmasked);
            return WithExtraTerms(model, batch, ssl, reconstruction, branch, unmasked);
        }
        Tensor target;
        using (no_grad())
            target = Normalized(model.EncodeLatents(batch, null));
        var student = model.EncodeLatents(batch, masked, zeroMask);
        var distance = (Normalized(student) - target).abs().mean(new long[] { -1 }); // [B, M]
        var weights = masked.to(ScalarType.Float32);
        return WithExtraTerms(model, batch, ssl, (distance * weights).sum() / weights.sum().clamp_min(1), student, student);
    }

    /// The variance term on the masked branch's normalised latents, the supervised term through the decoder on
    /// <paramref name="decoded"/>'s latents, and the routing predictors' loss.
    private static Tensor WithExtraTerms(PoyoModel model, PoyoBatch batch, PoyoSslOptions ssl, Tensor loss, Tensor branch, Tensor decoded)
    {
        if (ssl.VarianceWeight > 0)
        {
            var normalized = Normalized(branch);
            var spread = normalized.reshape(-1, normalized.shape[^1]).std(0); // sd of each dimension across the batch's latents
            loss = loss + ssl.VarianceWeight * (1 - spread).relu().mean();
        }
        if (ssl.SupervisedWeight > 0)
            loss = loss + ssl.SupervisedWeight * PoyoTrainer.WeightedMse(model.Decode(batch, decoded), batch.Targets!, batch.TargetWeights!);
        return model.RoutingPredictorLoss() is { } routing ? loss + routing : loss;
    }

    private static Tensor Normalized(Tensor latents) => nn.functional.layer_norm(latents, new long[] { latents.shape[^1] });

    /// A time split trains on one interval [start, cut) (shorter with a training subset): the recording cut to it.
    private static Recording TrainingPart(Recording recording, DecodingSplit split) =>
        recording.Slice(split.Train[0].Start, split.Train[^1].End);
}
