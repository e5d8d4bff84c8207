using MLNeuro.Transforms;

namespace MLNeuro.Estimators;

/// <summary>How a pretrained POYO decoder meets a new session (see <see cref="PoyoAdapter"/>).</summary>
public enum PoyoAdaptationMode
{
    /// <summary>Unit identification: the trunk stays frozen; only the new units' and session's embeddings are learned.</summary>
    UnitIdentification,

    /// <summary>Unit identification first, then every parameter fine-tuned at a lower learning rate.</summary>
    FineTune,
}

/// <summary>
/// The schedule of <see cref="PoyoAdapter.Adapt"/>. Stage 1 (always): trunk frozen, new unit and session embeddings
/// trained for <see cref="UnitIdentificationSteps"/> at <see cref="UnitIdentificationLearningRate"/> (linear warmup over
/// the first 10%, cosine to zero). Stage 2 (<see cref="PoyoAdaptationMode.FineTune"/>): all parameters, a fresh AdamW,
/// <see cref="FineTuneSteps"/> at <see cref="FineTuneLearningRate"/> with the same warmup and cosine. Both stages draw
/// their batches from the new sessions only, with seeds derived from <see cref="Seed"/>, so a rerun gives the same model.
/// </summary>
/// <example><code>
/// var options = new PoyoAdaptationOptions { Mode = PoyoAdaptationMode.FineTune, Split = new() { TrainSubsetFraction = 0.1 } };
/// </code></example>
public sealed record PoyoAdaptationOptions
{
    /// <summary>Unit identification only, or followed by full fine-tuning. Default unit identification.</summary>
    public PoyoAdaptationMode Mode { get; init; } = PoyoAdaptationMode.UnitIdentification;

    /// <summary>Steps of stage 1. Default 1000.</summary>
    public int UnitIdentificationSteps { get; init; } = 1000;

    /// <summary>Peak learning rate of stage 1 (embeddings only; they start small, so a high rate). Default 1e-2.</summary>
    public double UnitIdentificationLearningRate { get; init; } = 1e-2;

    /// <summary>Steps of stage 2. Default 1000.</summary>
    public int FineTuneSteps { get; init; } = 1000;

    /// <summary>Peak learning rate of stage 2. Default 3e-4.</summary>
    public double FineTuneLearningRate { get; init; } = 3e-4;

    /// <summary>How the new sessions are split; null uses the pretrained model's split. Default null.</summary>
    public DecodingSplitOptions? Split { get; init; }

    /// <summary>Windows per step; null uses the pretrained model's batch size. Default null.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Seed of the new embeddings and of both stages' batches. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>Checkpoint of the running stage (resumable); null disables. Default null.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (UnitIdentificationSteps <= 0) throw new ArgumentOutOfRangeException(nameof(UnitIdentificationSteps), UnitIdentificationSteps, "must be positive");
        if (Mode == PoyoAdaptationMode.FineTune && FineTuneSteps <= 0) throw new ArgumentOutOfRangeException(nameof(FineTuneSteps), FineTuneSteps, "must be positive");
        if (!(UnitIdentificationLearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(UnitIdentificationLearningRate), UnitIdentificationLearningRate, "must be positive");
        if (!(FineTuneLearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(FineTuneLearningRate), FineTuneLearningRate, "must be positive");
        if (BatchSize is <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "must be positive");
        Split?.Validate();
    }
}
