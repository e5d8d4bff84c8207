namespace MLNeuro.Transforms;

/// <summary>
/// How <see cref="Probe.Run"/> evaluates a feature table: which column to predict, which column defines the
/// cross-validation groups, how many folds, what fraction of training labels to use, and the trainer.
/// </summary>
/// <remarks>
/// Regularisation: the L2 weight is fixed (<see cref="Defaults.L2Regularization"/>, applied to standardised features)
/// and not tuned. Tuning it on the folds' test predictions would leak the test labels into the figure; a caller
/// who wants to tune must do it on an inner split of the training folds only.
/// </remarks>
/// <example><code>
/// var result = Probe.Run(table, new ProbeOptions { Label = "cell_type", Group = "subject_id" });   // leave one subject out
/// var fiveFold = new ProbeOptions { Label = "brain_region", Group = "session_id", Folds = 5, LabelFraction = 0.1, Seed = 7 };
/// </code></example>
public sealed record ProbeOptions
{
    /// <summary>Default values, shared with the CLI.</summary>
    public static class Defaults
    {
        /// <summary>Label column: <c>cell_type</c>.</summary>
        public const string Label = "cell_type";

        /// <summary>Group column: <c>subject_id</c> (leave one animal out, the zero-shot setting).</summary>
        public const string Group = "subject_id";

        /// <summary>Use every training label.</summary>
        public const double LabelFraction = 1.0;

        /// <summary>Seed for fold assignment and label subsampling.</summary>
        public const int Seed = 0;

        /// <summary>
        /// L2 weight 1 on standardised features. ML.NET's L-BFGS minimises (sum of weighted losses + L2/2 ||w||^2) / sum of
        /// weights, so this equals scikit-learn's <c>LogisticRegression(C=1)</c>, the default of the reference
        /// evaluations; SDCA averages the loss instead, so the probe hands it L2 / n_train for the same penalty.
        /// </summary>
        public const float L2Regularization = 1f;
    }

    /// <summary>Label column to predict (a string column of the table); units with an empty value are left out.</summary>
    public string Label { get; init; } = Defaults.Label;

    /// <summary>
    /// Label values to leave out, as if those units had no label (e.g. <c>root</c> and <c>OTHER</c>: units without a
    /// real region); matched exactly (ordinal). Counted in <see cref="ProbeResult.OmittedExcluded"/>. Default: none.
    /// </summary>
    public IReadOnlyList<string> ExcludeLabels { get; init; } = [];

    /// <summary>Column whose values never straddle a train/test split (e.g. <c>subject_id</c> or <c>session_id</c>).</summary>
    public string Group { get; init; } = Defaults.Group;

    /// <summary>Null: leave one group out (one fold per group). A number k >= 2: k folds of whole groups.</summary>
    public int? Folds { get; init; }

    /// <summary>
    /// Fraction in (0, 1] of each training fold's labelled units used for fitting, drawn per class (stratified,
    /// at least one unit per class present, seeded). Test folds always keep every unit. Gives label-efficiency curves.
    /// </summary>
    public double LabelFraction { get; init; } = Defaults.LabelFraction;

    /// <summary>Seed for the grouped k-fold assignment, label subsampling and the trainer.</summary>
    public int Seed { get; init; } = Defaults.Seed;

    /// <summary>
    /// Null (the default): every fold is fitted and tested. Otherwise only the folds holding at least one of these groups
    /// are fitted and tested; the other folds' units still train those folds but get no prediction and stay out of the
    /// pooled metrics. Used when each held-out group has its own feature table (zero-shot evaluation of pretrained
    /// encoders, where the table of a fold comes from a model that never saw that fold's group).
    /// </summary>
    public IReadOnlyCollection<string>? TestGroups { get; init; }

    /// <summary>The multiclass trainer; default <see cref="ProbeTrainer.LbfgsMaximumEntropy"/>.</summary>
    public ProbeTrainer Trainer { get; init; } = ProbeTrainer.LbfgsMaximumEntropy;

    /// <summary>L2 regularisation weight (fixed, see the remarks); default <see cref="Defaults.L2Regularization"/>.</summary>
    public float L2Regularization { get; init; } = Defaults.L2Regularization;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Label)) throw new ArgumentException("the label column name is empty", nameof(Label));
        if (string.IsNullOrWhiteSpace(Group)) throw new ArgumentException("the group column name is empty", nameof(Group));
        if (Label == Group) throw new ArgumentException($"the label and group columns are both '{Label}'; group by another column", nameof(Group));
        if (ExcludeLabels is null || ExcludeLabels.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("the labels to exclude must be non-empty names (empty labels are always left out)", nameof(ExcludeLabels));
        if (Folds is < 2) throw new ArgumentException($"folds must be at least 2 (got {Folds}); leave it unset for leave-one-group-out", nameof(Folds));
        if (!(LabelFraction > 0 && LabelFraction <= 1)) throw new ArgumentException($"label fraction must be in (0, 1] (got {LabelFraction})", nameof(LabelFraction));
        if (!(L2Regularization >= 0) || !float.IsFinite(L2Regularization)) throw new ArgumentException($"L2 regularisation must be a finite number >= 0 (got {L2Regularization})", nameof(L2Regularization));
    }
}
