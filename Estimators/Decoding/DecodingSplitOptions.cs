namespace MLNeuro.Estimators;

/// <summary>
/// How a session's time is split into a training part and an evaluation part for behaviour decoding. By default by
/// time: the first <see cref="TrainFraction"/> of each session's domain trains, the rest evaluates (so the evaluation
/// is on held-out time, never interleaved with training windows). With <see cref="TrainIntervalKind"/> and
/// <see cref="EvaluationIntervalKind"/> set, the recording's own intervals of those kinds are used instead (for
/// datasets that ship train/test epochs).
/// </summary>
/// <example><code>
/// var byTime = new DecodingSplitOptions { TrainFraction = 0.8 };
/// var byKind = new DecodingSplitOptions { TrainIntervalKind = "train", EvaluationIntervalKind = "test" };
/// </code></example>
public sealed record DecodingSplitOptions
{
    /// <summary>Share of each session's time, from its start, used for training. Default 0.8; in (0, 1).</summary>
    public double TrainFraction { get; init; } = 0.8;

    /// <summary>
    /// Share of the training part, taken from its end, held out for validation (choosing settings and early stopping
    /// without touching the evaluation part). Default 0 (none); in [0, 1).
    /// </summary>
    public double ValidationFraction { get; init; }

    /// <summary>
    /// Share of the training part (after validation is carved off) actually used, from its start: to study decoders
    /// with little data while the evaluation part stays the same. Default 1 (all); in (0, 1].
    /// </summary>
    public double TrainSubsetFraction { get; init; } = 1.0;

    /// <summary>Interval kind whose intervals train; null splits by time. Must be set together with <see cref="EvaluationIntervalKind"/>.</summary>
    public string? TrainIntervalKind { get; init; }

    /// <summary>Interval kind whose intervals evaluate; null splits by time.</summary>
    public string? EvaluationIntervalKind { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(TrainFraction > 0 && TrainFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(TrainFraction), TrainFraction, "must be between 0 and 1 (exclusive)");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "must be in [0, 1)");
        if (!(TrainSubsetFraction > 0 && TrainSubsetFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(TrainSubsetFraction), TrainSubsetFraction, "must be in (0, 1]");
        if ((TrainIntervalKind is null) != (EvaluationIntervalKind is null))
            throw new ArgumentOutOfRangeException(TrainIntervalKind is null ? nameof(TrainIntervalKind) : nameof(EvaluationIntervalKind), null,
                "set both TrainIntervalKind and EvaluationIntervalKind, or neither (split by time)");
    }
}
