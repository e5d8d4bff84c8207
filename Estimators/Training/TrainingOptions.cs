namespace MLNeuro.Estimators;

/// <summary>
/// Settings of MLNeuro's training loop: AdamW (no weight decay on norms, biases and embeddings) or LAMB, linear warmup
/// then cosine decay to zero (optionally after holding the peak, OneCycleLR-style), gradient-norm clipping, a seeded
/// generator, and periodic checkpoints that a killed run resumes from. Every option added after the first release
/// defaults to the earlier behaviour; <see cref="PoyoRecipe"/> sets POYO's reference values.
/// </summary>
/// <example><code>
/// var options = new TrainingOptions { TotalSteps = 2000, WarmupSteps = 100, Seed = 7,
///     CheckpointPath = "run/checkpoint.bin", CheckpointEverySteps = 200 };
/// </code></example>
public sealed record TrainingOptions
{
    /// <summary>Peak learning rate, reached at the end of warmup. Default 5e-4 (NuCLR's).</summary>
    public double LearningRate { get; set; } = 5e-4;

    /// <summary>
    /// Weight decay. AdamW: decoupled, on weight matrices only (norms, biases and embeddings get none). LAMB: added to
    /// the update of every parameter, as POYO's reference. Default 0.01.
    /// </summary>
    public double WeightDecay { get; set; } = 0.01;

    /// <summary>Steps of linear warmup from LearningRate/WarmupSteps up to LearningRate. Default 100; 0 disables warmup.</summary>
    public int WarmupSteps { get; set; } = 100;

    /// <summary>Total optimizer steps; the cosine decay reaches zero here. Default 1000.</summary>
    public int TotalSteps { get; set; } = 1000;

    /// <summary>Maximum global L2 norm of the gradients; 0 or less disables clipping. Default 1.0.</summary>
    public double ClipNorm { get; set; } = 1.0;

    /// <summary>Seed of the training generator handed to the loss function each step (sampling, dropout). Default 0.</summary>
    public long Seed { get; set; }

    /// <summary>Write a checkpoint every this many steps; 0 writes one only on cancellation and at the end. Default 0.</summary>
    public int CheckpointEverySteps { get; set; }

    /// <summary>Checkpoint file (written atomically: temp file + rename); null disables checkpoints and resume. Default null.</summary>
    public string? CheckpointPath { get; set; }

    /// <summary>The optimizer. Default <see cref="TrainingOptimizer.AdamW"/>; POYO's reference uses <see cref="TrainingOptimizer.Lamb"/>.</summary>
    public TrainingOptimizer Optimizer { get; set; } = TrainingOptimizer.AdamW;

    /// <summary>
    /// Share of <see cref="TotalSteps"/> at the start of training during which the learning rate stays at its peak
    /// before the cosine decay (OneCycleLR's pct_start with div_factor 1; POYO's reference <c>lr_decay_start</c>, 0.5).
    /// 0 starts the decay right after warmup. Default 0.
    /// </summary>
    public double PeakHoldFraction { get; set; }

    /// <summary>
    /// The learning rate the cosine ends at, as a fraction of the peak (OneCycleLR's 1 / final_div_factor: POYO's
    /// reference ends at 1e-4 of the peak). Default 0.
    /// </summary>
    public double FinalLearningRateFraction { get; set; }

    /// <summary>
    /// Cycle Adam's beta1 inversely to the learning rate, as OneCycleLR does by default in POYO's reference: cosine
    /// from 0.95 to 0.85 until the decay starts, then back to 0.95. Off keeps beta1 at 0.9. Default false.
    /// </summary>
    public bool CycleBeta1 { get; set; }

    /// <summary>
    /// For models that have a validation score (POYO: R² on the validation part of the split): score it every this
    /// many steps and report it in <see cref="TrainingProgress.ValidationScore"/>. Scoring draws nothing random and leaves
    /// the weights alone, so the run is the same with or without it. 0 never scores. Default 0.
    /// </summary>
    public int ValidationEverySteps { get; set; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "must be positive");
        if (!(WeightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "must be non-negative");
        if (TotalSteps <= 0) throw new ArgumentOutOfRangeException(nameof(TotalSteps), TotalSteps, "must be positive");
        if (WarmupSteps < 0 || WarmupSteps > TotalSteps)
            throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, $"must be between 0 and TotalSteps ({TotalSteps})");
        if (!(PeakHoldFraction >= 0 && PeakHoldFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(PeakHoldFraction), PeakHoldFraction, "must be in [0, 1)");
        if (!(FinalLearningRateFraction >= 0 && FinalLearningRateFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(FinalLearningRateFraction), FinalLearningRateFraction, "must be in [0, 1]");
        if (!Enum.IsDefined(Optimizer)) throw new ArgumentOutOfRangeException(nameof(Optimizer), Optimizer, "unknown optimizer");
        if (ValidationEverySteps < 0) throw new ArgumentOutOfRangeException(nameof(ValidationEverySteps), ValidationEverySteps, "must be non-negative");
        if (CheckpointEverySteps < 0) throw new ArgumentOutOfRangeException(nameof(CheckpointEverySteps), CheckpointEverySteps, "must be non-negative");
        if (CheckpointEverySteps > 0 && CheckpointPath is null)
            throw new ArgumentOutOfRangeException(nameof(CheckpointPath), null, "is required when CheckpointEverySteps > 0");
    }
}
