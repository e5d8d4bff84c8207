using MLNeuro.Transforms;

namespace MLNeuro.Estimators;

/// <summary>
/// What <see cref="NuclrEvaluation.Run"/> measures: the label to probe, the groups held out (animals by default), the
/// model and training of every pretraining run, and the handcrafted-feature baseline it is compared with.
/// </summary>
/// <example><code>
/// var options = new NuclrEvaluationOptions
/// {
///     Label = "brain_region",
///     Model = new NuclrModelOptions { Encoder = NuclrEncoderOptions.Tiny, Sampling = new() { WindowSeconds = 0.8, PatchCount = 4 } },
///     Training = new TrainingOptions { TotalSteps = 1500, Seed = 0 },
/// };
/// </code></example>
public sealed record NuclrEvaluationOptions
{
    /// <summary>Default values, shared with the CLI.</summary>
    public static class Defaults
    {
        /// <summary>The paper's label fractions: 1, 5, 12.5, 25, 50 and 100% of the training labels.</summary>
        public static IReadOnlyList<double> LabelFractions { get; } = new[] { 0.01, 0.05, 0.125, 0.25, 0.5, 1.0 };

        /// <summary>Label subsamples drawn per fraction below 1 (the curve shows their mean and spread).</summary>
        public const int LabelSeeds = 3;

        /// <summary>Folds of the transductive (split by neuron) probe.</summary>
        public const int TransductiveFolds = 5;
    }

    /// <summary>Label column to probe (e.g. cell_type or brain_region); units with an empty value are left out.</summary>
    public string Label { get; init; } = ProbeOptions.Defaults.Label;

    /// <summary>Label values left out of every probe, like empty labels (e.g. root and OTHER: units without a real region).</summary>
    public IReadOnlyList<string> ExcludeLabels { get; init; } = [];

    /// <summary>
    /// What the zero-shot setting holds out: <c>subject_id</c> (new animals; the default) or <c>session_id</c>. Each
    /// held-out group gets its own pretraining run that never sees it.
    /// </summary>
    public string Group { get; init; } = ProbeOptions.Defaults.Group;

    /// <summary>Encoder, sampling and objective of every pretraining run.</summary>
    public NuclrModelOptions Model { get; init; } = new();

    /// <summary>Optimiser, schedule, length and seed of every pretraining run (its checkpoint path is ignored).</summary>
    public TrainingOptions Training { get; init; } = new();

    /// <summary>Options of the handcrafted-feature baseline (set its interval kind for trial-only data).</summary>
    public NeuronFeatureOptions Features { get; init; } = new();

    /// <summary>Fractions of training labels of the label-efficiency curve, each in (0, 1].</summary>
    public IReadOnlyList<double> LabelFractions { get; init; } = Defaults.LabelFractions;

    /// <summary>Label subsamples per fraction below 1.</summary>
    public int LabelSeeds { get; init; } = Defaults.LabelSeeds;

    /// <summary>Folds of the transductive probe (units split at random, whole neurons per fold).</summary>
    public int TransductiveFolds { get; init; } = Defaults.TransductiveFolds;

    /// <summary>
    /// Whether to measure scaling with the number of pretraining groups: for every held-out group, pretrain on 1, 2, ...
    /// of the other groups (chosen at random with <see cref="Seed"/>) and probe as in the zero-shot setting. Costs
    /// groups x (groups - 2) extra pretraining runs.
    /// </summary>
    public bool Scaling { get; init; } = true;

    /// <summary>Seed of fold assignment, label subsamples and the scaling subsets (pretraining uses Training.Seed).</summary>
    public int Seed { get; init; }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Label)) throw new ArgumentException("the label column name is empty", nameof(Label));
        if (Group is not ("subject_id" or "session_id"))
            throw new ArgumentException($"the zero-shot group must be subject_id or session_id (got '{Group}'): pretraining leaves out whole sessions", nameof(Group));
        ArgumentNullException.ThrowIfNull(Model);
        ArgumentNullException.ThrowIfNull(Training);
        ArgumentNullException.ThrowIfNull(Features);
        Training.Validate();
        if (LabelFractions is null || LabelFractions.Count == 0) throw new ArgumentException("give at least one label fraction", nameof(LabelFractions));
        foreach (var f in LabelFractions)
            if (!(f > 0 && f <= 1)) throw new ArgumentException($"label fractions must lie in (0, 1] (got {f})", nameof(LabelFractions));
        if (LabelSeeds < 1) throw new ArgumentException($"label seeds must be at least 1 (got {LabelSeeds})", nameof(LabelSeeds));
        if (TransductiveFolds < 2) throw new ArgumentException($"transductive folds must be at least 2 (got {TransductiveFolds})", nameof(TransductiveFolds));
    }
}
