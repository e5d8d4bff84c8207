using MLNeuro.Loaders;

namespace MLNeuro.Estimators;

/// <summary>One session's decoding split: the intervals that train, validate and evaluate (disjoint in time).</summary>
/// <param name="SessionId">The session.</param>
/// <param name="Train">Training intervals (kind "train").</param>
/// <param name="Validation">Validation intervals carved from the end of the training part (kind "valid"); may be empty.</param>
/// <param name="Evaluation">Evaluation intervals (kind "eval").</param>
public sealed record DecodingSplit(string SessionId, IntervalSet Train, IntervalSet Validation, IntervalSet Evaluation)
{
    /// <summary>Kind of the training intervals a split produces.</summary>
    public const string TrainKind = "train";

    /// <summary>Kind of the validation intervals.</summary>
    public const string ValidationKind = "valid";

    /// <summary>Kind of the evaluation intervals.</summary>
    public const string EvaluationKind = "eval";

    /// <summary>
    /// Splits <paramref name="recording"/> (only its domain and intervals are read) as <paramref name="options"/> say.
    /// Throws <see cref="ArgumentException"/> naming the session when a part would be empty.
    /// </summary>
    public static DecodingSplit Of(Recording recording, DecodingSplitOptions options)
    {
        ArgumentNullException.ThrowIfNull(recording);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        IReadOnlyList<Interval> train, evaluation;
        if (options.TrainIntervalKind is null)
        {
            double cut = recording.StartSeconds + options.TrainFraction * recording.DurationSeconds;
            train = [new Interval(recording.StartSeconds, cut, TrainKind)];
            evaluation = [new Interval(cut, recording.EndSeconds, EvaluationKind)];
        }
        else
        {
            train = Relabel(recording.Intervals.OfKind(options.TrainIntervalKind), TrainKind);
            evaluation = Relabel(recording.Intervals.OfKind(options.EvaluationIntervalKind!), EvaluationKind);
            if (train.Count == 0 || evaluation.Count == 0)
                throw new ArgumentException(
                    $"session '{recording.SessionId}' has no intervals of kind '{(train.Count == 0 ? options.TrainIntervalKind : options.EvaluationIntervalKind)}'; kinds there: {string.Join(", ", recording.Intervals.Kinds)}",
                    nameof(options));
        }
        var (kept, validation) = CarveValidation(train, options.ValidationFraction);
        return new DecodingSplit(recording.SessionId, new IntervalSet(Subset(kept, options.TrainSubsetFraction)), new IntervalSet(validation), new IntervalSet(evaluation));
    }

    private static Interval[] Relabel(IntervalSet intervals, string kind) =>
        intervals.Select(i => new Interval(i.Start, i.End, kind, i.Label)).ToArray();

    /// Keeps the first <paramref name="fraction"/> of the training time (by duration, walking forward from the start).
    private static List<Interval> Subset(List<Interval> train, double fraction)
    {
        if (fraction >= 1) return train;
        double remaining = fraction * train.Sum(i => i.DurationSeconds);
        var kept = new List<Interval>();
        foreach (var interval in train)
        {
            if (remaining <= 0) break;
            double length = Math.Min(interval.DurationSeconds, remaining);
            kept.Add(interval with { End = interval.Start + length });
            remaining -= length;
        }
        return kept;
    }

    /// Takes the last <paramref name="fraction"/> of the training time (by duration, walking back from the end) as validation.
    private static (List<Interval> Train, List<Interval> Validation) CarveValidation(IReadOnlyList<Interval> train, double fraction)
    {
        var kept = train.ToList();
        var validation = new List<Interval>();
        double remaining = fraction * train.Sum(i => i.DurationSeconds);
        while (remaining > 0 && kept.Count > 0)
        {
            var last = kept[^1];
            kept.RemoveAt(kept.Count - 1);
            if (last.DurationSeconds <= remaining)
            {
                validation.Insert(0, new Interval(last.Start, last.End, ValidationKind, last.Label));
                remaining -= last.DurationSeconds;
                continue;
            }
            double cut = last.End - remaining;
            kept.Add(new Interval(last.Start, cut, TrainKind, last.Label));
            validation.Insert(0, new Interval(cut, last.End, ValidationKind, last.Label));
            remaining = 0;
        }
        return (kept, validation);
    }
}
