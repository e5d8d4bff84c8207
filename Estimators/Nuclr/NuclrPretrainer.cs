using MLNeuro.Loaders;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// Self-supervised NuCLR pretraining (docs/design.md, 'NuCLR'): multi-view batches of a dataset's recordings, the encoder
/// plus a projector, the objective of <see cref="NuclrModelOptions.Objective"/>, and MLNeuro's training loop. Returns
/// a model artifact (options, weights, the encoder's ONNX graph) ready for <see cref="ModelArtifact.Write"/>.
/// </summary>
/// <example><code>
/// var options = new NuclrModelOptions { Encoder = NuclrEncoderOptions.Tiny, Sampling = new() { WindowSeconds = 4, PatchCount = 4, BinSeconds = 0.1 } };
/// var artifact = NuclrPretrainer.Pretrain(NeuralDataset.Open("data"), options, new TrainingOptions { TotalSteps = 200, Seed = 7 });
/// artifact.Write("nuclr.zip");
/// </code></example>
public static class NuclrPretrainer
{
    /// <summary>
    /// Pretrains a NuCLR encoder on <paramref name="dataset"/>. Everything random derives from
    /// <see cref="TrainingOptions.Seed"/>: the weight initialisation (a seeded <c>torch.Generator</c>) and each step's
    /// batch (a <see cref="Random"/> seeded by the seed and the step index, so a resumed run draws the batches the
    /// uninterrupted run would have drawn). With one intra-op thread the same seed gives bitwise identical weights.
    /// </summary>
    /// <param name="dataset">Dataset whose sessions are sampled (every session must hold at least one window).</param>
    /// <param name="options">Encoder, sampling, objective and projector options (stored in the artifact).
    /// The sampling geometry must match the encoder: PatchCount equal, bins per patch equal to Encoder.BinsPerPatch.</param>
    /// <param name="training">Optimiser, schedule, steps, seed and checkpointing. With <see cref="TrainingOptions.CheckpointPath"/>
    /// set, cancellation leaves a checkpoint there.</param>
    /// <param name="progress">Receives a report after every step (loss, steps/s, ETA).</param>
    /// <param name="cancellationToken">Cancels between steps (after writing a checkpoint when a path is set), throwing <see cref="OperationCanceledException"/>.</param>
    /// <param name="excludeSubjects">Subjects whose sessions are left out (for zero-shot evaluation); null keeps all.</param>
    /// <param name="resume">Continue from <see cref="TrainingOptions.CheckpointPath"/> when that file exists.</param>
    /// <returns>The artifact: kind <see cref="NuclrModelOptions.ModelKind"/>, options JSON, weights (encoder keys plus
    /// <c>projector.*</c>) and the encoder's ONNX graph.</returns>
    public static ModelArtifact Pretrain(
        NeuralDataset dataset,
        NuclrModelOptions options,
        TrainingOptions training,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default,
        IReadOnlyCollection<string>? excludeSubjects = null,
        bool resume = false)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Pretrain(dataset, SessionsExcluding(dataset, excludeSubjects), options, training, progress, cancellationToken, resume);
    }

    /// <summary>The dataset's sessions whose subject is not excluded; throws when none is left.</summary>
    internal static SessionEntry[] SessionsExcluding(NeuralDataset dataset, IReadOnlyCollection<string>? excludeSubjects)
    {
        var excluded = new HashSet<string>(excludeSubjects ?? Array.Empty<string>(), StringComparer.Ordinal);
        var sessions = dataset.Sessions.Where(s => !excluded.Contains(s.SubjectId)).ToArray();
        return sessions.Length > 0
            ? sessions
            : throw new ArgumentException($"no session left to pretrain on after excluding subjects {string.Join(", ", excluded)}", nameof(excludeSubjects));
    }

    /// <summary>Pretrains on the given sessions of <paramref name="dataset"/> (the evaluation protocol's folds and subsets).</summary>
    internal static ModelArtifact Pretrain(
        NeuralDataset dataset,
        IReadOnlyList<SessionEntry> sessions,
        NuclrModelOptions options,
        TrainingOptions training,
        IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken,
        bool resume = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(training);
        training.Validate();
        options.Encoder.Validate();
        options.Sampling.Validate();
        options.Objective.Validate();
        TorchRuntime.EnsureAvailable();

        var sampler = CreateSampler(dataset, sessions, options);

        using var init = new Generator((ulong)training.Seed);
        using var model = new NuclrPretrainingModel(options, init);
        long seed = training.Seed;
        TrainingLoop.Run(model, (step, generator) =>
        {
            using var batch = sampler.Next(StepRandom.For(seed, step));
            // Dropout masks come from the loop's generator, whose state the checkpoints keep, so a resumed run draws them
            // as the uninterrupted run would have.
            model.Encoder.Dropout.Generator = generator;
            var projections = model.forward(batch.Counts, batch.UnitMask);
            // Per-view masks: the reference loss uses each view's own units; the other objectives keep units in every view.
            return Objective.Compute(projections, batch.UnitMask, options.Objective);
        }, training, progress, cancellationToken, resume, TrainingRunSettings.ModelAndSessions(options.ToJson(), sessions.Select(s => s.SessionId)));

        model.eval();
        model.Encoder.Dropout.Generator = null;
        var manifest = new ModelManifest(NuclrModelOptions.ModelKind, options.ToJson(), ModelProvenance.Now(dataset.Path, seed: seed));
        return ModelArtifact.FromModule(model, manifest, model.Encoder.ExportOnnx());
    }

    /// <summary>The batch sampler over the given sessions; checks the geometry matches the encoder.</summary>
    internal static NuclrBatchSampler CreateSampler(NeuralDataset dataset, IReadOnlyList<SessionEntry> sessions, NuclrModelOptions options)
    {
        if (sessions.Count == 0) throw new ArgumentException("no session to pretrain on", nameof(sessions));
        var recordings = sessions.Select(s => dataset.ReadRecording(s.SessionId, RecordingParts.Spikes)).ToArray();
        var sampler = new NuclrBatchSampler(recordings, options.Sampling);
        if (options.Sampling.PatchCount != options.Encoder.PatchCount || sampler.BinsPerPatch != options.Encoder.BinsPerPatch)
            throw new ArgumentException(
                $"sampling gives {options.Sampling.PatchCount} patches of {sampler.BinsPerPatch} bins but the encoder expects {options.Encoder.PatchCount} of {options.Encoder.BinsPerPatch}",
                nameof(options));
        return sampler;
    }
}
