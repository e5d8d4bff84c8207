using System.Text.Json;
using MLNeuro.Loaders;
using MLNeuro.Transforms;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// Trains POYO on the behaviour of one or many sessions (docs/design.md, 'POYO'): every session's training part (by
/// <see cref="PoyoDecodingOptions.Split"/>) is sampled in windows, the targets are z-scored per channel over all
/// training parts, and the loss is the mean squared error over the finite normalised targets of the batch's output
/// times. Every unit of every session gets its own embedding, every session its own query embedding.
/// </summary>
/// <example><code>
/// var dataset = NeuralDataset.Open("data");
/// using var decoder = PoyoTrainer.Train(dataset, new PoyoDecodingOptions { Model = PoyoModelOptions.Tiny, Channels = ["vx", "vy"] },
///     new TrainingOptions { TotalSteps = 2000, LearningRate = 1e-3, Seed = 1 });
/// decoder.ToArtifact(dataset.Path, 1).Write("poyo.zip");
/// </code></example>
public static class PoyoTrainer
{
    /// <summary>Trains on every session of <paramref name="dataset"/>, or on the sessions named in <paramref name="sessionIds"/>.</summary>
    public static PoyoDecoder Train(NeuralDataset dataset, PoyoDecodingOptions options, TrainingOptions training,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default, bool resume = false,
        IReadOnlyCollection<string>? sessionIds = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Train(ReadSessions(dataset, sessionIds), options, training, progress, cancellationToken, resume);
    }

    /// <summary>Trains on the given recordings (each needs the options' behaviour channels).</summary>
    public static PoyoDecoder Train(IReadOnlyList<Recording> recordings, PoyoDecodingOptions options, TrainingOptions training,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default, bool resume = false)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(training);
        options.Validate();
        training.Validate();
        if (recordings.Count == 0) throw new ArgumentException("no session to train on", nameof(recordings));
        TorchRuntime.EnsureAvailable();

        var splits = recordings.Select(r => DecodingSplit.Of(r, options.Split)).ToArray();
        var decoder = CreateDecoder(recordings, splits, options, training.Seed);
        try
        {
            Fit(decoder, recordings, splits, training, progress, cancellationToken, resume);
            return decoder;
        }
        catch
        {
            decoder.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A freshly initialised decoder for the recordings: a vocabulary row for every unit and session, weights drawn from
    /// <paramref name="seed"/>, and the behaviour normalisation fitted on the training parts.
    /// </summary>
    internal static PoyoDecoder CreateDecoder(IReadOnlyList<Recording> recordings, IReadOnlyList<DecodingSplit> splits, PoyoDecodingOptions options, long seed)
    {
        var normalization = ChannelNormalization.Fit(
            recordings.Select((r, i) => BehaviorTargets.Read(r, options.Channels, splits[i].Train)), options.Channels);
        var units = new Vocabulary(recordings.SelectMany(r => r.Units.Select(u => Vocabulary.UnitKey(r.SessionId, u.UnitId))));
        var sessions = new Vocabulary(recordings.Select(r => r.SessionId));
        using var init = new Generator((ulong)seed);
        var model = new PoyoModel(options.Model, units.Count, sessions.Count, options.Channels.Count, options.WindowSeconds, init);
        return new PoyoDecoder(model, options, units, sessions, normalization);
    }

    /// <summary>The training windows of the recordings' training parts, for the decoder's vocabularies.</summary>
    internal static PoyoWindowSampler Sampler(PoyoDecoder decoder, IReadOnlyList<Recording> recordings, IReadOnlyList<DecodingSplit> splits) =>
        new(recordings.Select((r, i) => (new PoyoSession(r, decoder.Sessions.IndexOf(r.SessionId, "session"),
            PoyoSession.RowsOf(r, decoder.Units), decoder.Normalization, decoder.Options.Channels, decoder.Options.IntervalLossWeights), splits[i].Train)).ToArray(),
            decoder.Options);

    /// <summary>Runs the training loop on <paramref name="decoder"/>'s trainable parameters over the recordings' training parts.</summary>
    internal static TrainingRun Fit(PoyoDecoder decoder, IReadOnlyList<Recording> recordings, IReadOnlyList<DecodingSplit> splits,
        TrainingOptions training, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken, bool resume)
    {
        var sampler = Sampler(decoder, recordings, splits);
        var builder = new PoyoBatchBuilder(decoder.Options);
        long seed = training.Seed;
        var validation = recordings.Select((r, i) => (r, splits[i].Validation)).Where(p => p.Validation.Count > 0).ToArray();
        Func<double>? validate = validation.Length == 0 ? null : () => DecodingEvaluator.Evaluate(decoder, validation).Pooled.MeanR2;
        var run = TrainingLoop.Run(decoder.Model, (step, generator) =>
        {
            // Dropout masks come from the loop's generator (checkpointed), batches from the step's own.
            decoder.Model.DropoutGenerator = generator;
            using var batch = builder.Build(sampler.Next(StepRandom.For(seed, step)));
            var loss = WeightedMse(decoder.Model.forward(batch), batch.Targets!, batch.TargetWeights!);
            // Mixture-of-Depths: the routing predictors learn from their own (stop-gradient) loss alongside the task.
            return decoder.Model.RoutingPredictorLoss() is { } routing ? loss + routing : loss;
        }, training, progress, cancellationToken, resume,
            TrainingRunSettings.ModelAndSessions(JsonSerializer.Serialize(decoder.Options), recordings.Select(r => r.SessionId)), validate);
        decoder.Model.DropoutGenerator = null;
        decoder.Model.eval();
        return run;
    }

    /// <summary>Σ w (prediction - target)² / Σ w: the mean squared error over the targets that count.</summary>
    internal static Tensor WeightedMse(Tensor predicted, Tensor targets, Tensor weights)
    {
        var squared = (predicted - targets).square() * weights;
        return squared.sum() / weights.sum().clamp_min(1e-8);
    }

    /// <summary>The recordings of the named sessions (all when null), with spikes and behaviour.</summary>
    internal static Recording[] ReadSessions(NeuralDataset dataset, IReadOnlyCollection<string>? sessionIds)
    {
        var ids = sessionIds ?? dataset.Sessions.Select(s => s.SessionId).ToArray();
        return ids.Select(id => dataset.ReadRecording(id, RecordingParts.All)).ToArray();
    }
}
