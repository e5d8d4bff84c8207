namespace MLNeuro.Estimators;

/// <summary>
/// Settings of MLNeuro's training loop: AdamW (no weight decay on norms, biases and embeddings), linear warmup then
/// cosine decay to zero, gradient-norm clipping, a seeded generator, and periodic checkpoints that a killed run resumes from.
/// </summary>
/// <example><code>
/// var options = new TrainingOptions { TotalSteps = 2000, WarmupSteps = 100, Seed = 7,
///     CheckpointPath = "run/checkpoint.bin", CheckpointEverySteps = 200 };
/// </code></example>
public sealed record TrainingOptions
{
    /// <summary>Peak learning rate, reached at the end of warmup. Default 5e-4 (NuCLR's).</summary>
    public double LearningRate { get; set; } = 5e-4;

    /// <summary>Decoupled (AdamW) weight decay on matrices; norms, biases and embeddings get none. Default 0.01.</summary>
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

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "must be positive");
        if (!(WeightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "must be non-negative");
        if (TotalSteps <= 0) throw new ArgumentOutOfRangeException(nameof(TotalSteps), TotalSteps, "must be positive");
        if (WarmupSteps < 0 || WarmupSteps > TotalSteps)
            throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, $"must be between 0 and TotalSteps ({TotalSteps})");
        if (CheckpointEverySteps < 0) throw new ArgumentOutOfRangeException(nameof(CheckpointEverySteps), CheckpointEverySteps, "must be non-negative");
        if (CheckpointEverySteps > 0 && CheckpointPath is null)
            throw new ArgumentOutOfRangeException(nameof(CheckpointPath), null, "is required when CheckpointEverySteps > 0");
    }
}
