using System.Diagnostics;
using System.Runtime.InteropServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>What a call to <see cref="TrainingLoop.Run"/> did: the step it started from and the loss of every step it took.</summary>
internal sealed record TrainingRun(int StartStep, IReadOnlyList<double> Losses);

/// <summary>
/// The one training loop every MLNeuro model uses. The caller supplies the loss of a step as a function of the step
/// index and the loop's seeded generator (draw batches, dropout, views from it, never from the global RNG); the loop
/// owns the optimizer, schedule, clipping, checkpoints and cancellation.
/// </summary>
internal static class TrainingLoop
{
    /// <summary>
    /// How many times a run goes back to its last checkpoint after a native (libtorch) error in a step before it gives
    /// up. Rare native errors ("Expected false to be true" from a Scalar argument of an add) killed 4 of ~40 long CLI
    /// runs here, at random steps, and never recurred on resume: most likely a TorchSharp 0.107 Scalar finalised while
    /// a native call still used it. A deterministic error recurs and is rethrown after the last rollback.
    /// </summary>
    internal const int MaxRollbacks = 3;

    // lossAtStep builds the scalar loss of 0-based step s inside the step's dispose scope; resume continues from
    // options.CheckpointPath when that file exists (a fresh run otherwise), and only when the checkpoint was written with
    // the same settings: the training options plus runSettings (the caller's model options and data, as JSON values).
    // Cancellation writes a checkpoint at the last completed step, then throws OperationCanceledException. validate, when
    // given and options.ValidationEverySteps > 0, scores the model after every that many steps (and the last); it must
    // not draw from the generator or change the weights, and gets the module in eval mode.
    public static TrainingRun Run(
        nn.Module module,
        Func<int, Generator, Tensor> lossAtStep,
        TrainingOptions options,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default,
        bool resume = false,
        IReadOnlyDictionary<string, string>? runSettings = null,
        Func<double>? validate = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(lossAtStep);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        TorchRuntime.EnsureAvailable();

        module.train();
        using var generator = new Generator((ulong)options.Seed);
        using var optimizer = CreateTrainingOptimizer(module, options);
        var parameters = optimizer.Parameters;
        string? checkpoint = options.CheckpointPath;
        var settings = TrainingRunSettings.Of(options, runSettings);

        int start = 0;
        if (resume && checkpoint is not null && File.Exists(checkpoint))
        {
            try { start = TrainingCheckpoint.Read(checkpoint, settings, module, optimizer, generator); }
            catch (Exception e) when (e is ExternalException or ArgumentException or InvalidOperationException)
            {
                throw new InvalidDataException(
                    $"{checkpoint}: the checkpoint does not fit this model ({e.Message.Split('\n')[0]}); it was written by another architecture or configuration: delete it or resume with the same settings", e);
            }
        }
        else if (checkpoint is not null)
            TrainingCheckpoint.Write(checkpoint, settings, 0, module, optimizer, generator); // so a native error before the first periodic checkpoint can roll back too

        var losses = new List<double>();
        int rollbacks = 0;
        var clock = Stopwatch.StartNew();
        for (int step = start; step < options.TotalSteps; step++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                // Leave a usable checkpoint at the last completed step before giving up.
                if (checkpoint is not null) TrainingCheckpoint.Write(checkpoint, settings, step, module, optimizer, generator);
                cancellationToken.ThrowIfCancellationRequested();
            }

            optimizer.SetLearningRate(LearningRateSchedule.At(step, options));
            if (LearningRateSchedule.Beta1At(step, options) is { } beta1) optimizer.SetBeta1(beta1);

            double lossValue;
            try
            {
                // No collection inside the step: see GcFreeRegion (TorchSharp's implicit Scalars).
                using (GcFreeRegion.Enter())
                using (NewDisposeScope())
                {
                    optimizer.ZeroGrad();
                    var loss = lossAtStep(step, generator);
                    loss.backward();
                    if (options.ClipNorm > 0) nn.utils.clip_grad_norm_(parameters, options.ClipNorm);
                    optimizer.Step();
                    lossValue = loss.item<float>();
                }
            }
            catch (ExternalException) when (rollbacks < MaxRollbacks && checkpoint is not null && File.Exists(checkpoint))
            {
                // A native libtorch error mid-step (seen rarely with TorchSharp 0.107, see RollBack) leaves the in-memory
                // state suspect: go back to the last checkpoint, which replays the same batches (they depend on the
                // step alone), so the run ends as an uninterrupted one would.
                rollbacks++;
                int resumeAt = TrainingCheckpoint.Read(checkpoint, settings, module, optimizer, generator);
                losses.RemoveRange(resumeAt - start, losses.Count - (resumeAt - start));
                step = resumeAt - 1;
                continue;
            }
            losses.Add(lossValue);

            int completed = step + 1;
            if (checkpoint is not null && options.CheckpointEverySteps > 0 && completed % options.CheckpointEverySteps == 0
                && completed < options.TotalSteps)
                TrainingCheckpoint.Write(checkpoint, settings, completed, module, optimizer, generator);

            double? score = null;
            if (validate is not null && options.ValidationEverySteps > 0
                && (completed % options.ValidationEverySteps == 0 || completed == options.TotalSteps))
            {
                module.eval();
                try { score = validate(); }
                finally { module.train(); }
                // Scoring leaves many short-lived TorchSharp objects and, unlike a step, runs outside a GcFreeRegion
                // (it allocates past any budget): finalise them now, between steps (see GcFreeRegion and MaxRollbacks;
                // runs that validated every 25 steps hit the rare native errors far more often).
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }

            if (progress is not null)
            {
                double rate = (completed - start) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
                var eta = TimeSpan.FromSeconds((options.TotalSteps - completed) / rate);
                progress.Report(new TrainingProgress(completed, options.TotalSteps, lossValue, rate, eta) { ValidationScore = score });
            }
        }

        if (checkpoint is not null) TrainingCheckpoint.Write(checkpoint, settings, options.TotalSteps, module, optimizer, generator);
        return new TrainingRun(start, losses);
    }

    /// The optimizer options ask for: AdamW (CreateOptimizer) or LAMB over every trainable parameter, the unit and
    /// session embeddings sparse (row-wise) as in the reference's create_optim ("unit_emb" or "session_emb" in the name).
    internal static ITrainingOptimizer CreateTrainingOptimizer(nn.Module module, TrainingOptions options)
    {
        if (options.Optimizer == TrainingOptimizer.AdamW) return new AdamWTrainingOptimizer(CreateOptimizer(module, options));
        var trainable = module.named_parameters().Where(p => p.parameter.requires_grad)
            .Select(p => (p.parameter, p.name.Contains("unit_emb", StringComparison.Ordinal) || p.name.Contains("session_emb", StringComparison.Ordinal)))
            .ToList();
        if (trainable.Count == 0) throw new ArgumentException("the module has no trainable parameters", nameof(module));
        return new LambOptimizer(trainable, options.LearningRate, options.WeightDecay);
    }

    /// AdamW with two groups: weight decay on matrices, none on norms, biases and embeddings (see ParameterGroups).
    internal static AdamW CreateOptimizer(nn.Module module, TrainingOptions options)
    {
        var (decay, noDecay) = ParameterGroups.Split(module);
        var groups = new List<AdamW.ParamGroup>();
        if (decay.Count > 0)
            groups.Add(new AdamW.ParamGroup(decay.Select(p => p.Parameter), new AdamW.Options { LearningRate = options.LearningRate, weight_decay = options.WeightDecay }));
        if (noDecay.Count > 0)
            groups.Add(new AdamW.ParamGroup(noDecay.Select(p => p.Parameter), new AdamW.Options { LearningRate = options.LearningRate, weight_decay = 0.0 }));
        if (groups.Count == 0) throw new ArgumentException("the module has no trainable parameters", nameof(module));
        return optim.AdamW(groups, options.LearningRate, weight_decay: options.WeightDecay);
    }
}
