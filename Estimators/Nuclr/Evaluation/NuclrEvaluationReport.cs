using MLNeuro.Loaders;
using MLNeuro.Transforms;

namespace MLNeuro.Estimators;

/// <summary>
/// The outcome of <see cref="NuclrEvaluation.Run"/>: NuCLR embeddings and the handcrafted-feature baseline probed under
/// the same splits, in the transductive and zero-shot settings, with label-efficiency and scaling curves.
/// </summary>
/// <remarks>
/// Every balanced accuracy pools the held-out predictions of all folds (as <see cref="Probe"/> does). The zero-shot rows
/// use, for each held-out group, a model pretrained without that group; the baseline needs no pretraining, so its
/// zero-shot row is the same leave-one-group-out probe.
/// </remarks>
public sealed class NuclrEvaluationReport
{
    internal NuclrEvaluationReport(
        NuclrEvaluationOptions options, string datasetPath, IReadOnlyList<string> groups,
        IReadOnlyList<EvaluationScore> scores, IReadOnlyList<LabelEfficiencyPoint> labelEfficiency,
        IReadOnlyList<ScalingPoint> scaling, IReadOnlyList<PretrainingRun> pretrainings,
        FeatureTable transductiveEmbeddings, FeatureTable features)
    {
        Options = options;
        DatasetPath = datasetPath;
        Groups = groups;
        Scores = scores;
        LabelEfficiency = labelEfficiency;
        Scaling = scaling;
        Pretrainings = pretrainings;
        TransductiveEmbeddings = transductiveEmbeddings;
        Features = features;
    }

    /// <summary>The options the evaluation ran with.</summary>
    public NuclrEvaluationOptions Options { get; }

    /// <summary>Full path of the evaluated dataset.</summary>
    public string DatasetPath { get; }

    /// <summary>The held-out groups of the zero-shot setting (one pretraining run each), in ordinal order.</summary>
    public IReadOnlyList<string> Groups { get; }

    /// <summary>One row per method (nuclr, features) and setting (transductive, zero-shot).</summary>
    public IReadOnlyList<EvaluationScore> Scores { get; }

    /// <summary>Zero-shot balanced accuracy against the fraction of training labels, per method.</summary>
    public IReadOnlyList<LabelEfficiencyPoint> LabelEfficiency { get; }

    /// <summary>Zero-shot balanced accuracy against the number of pretraining groups (empty when not measured).</summary>
    public IReadOnlyList<ScalingPoint> Scaling { get; }

    /// <summary>Every pretraining run: what it held out, what it trained on, its final loss and time.</summary>
    public IReadOnlyList<PretrainingRun> Pretrainings { get; }

    /// <summary>Embeddings of every unit by the model pretrained on all groups (for the 2-D projection plot).</summary>
    public FeatureTable TransductiveEmbeddings { get; }

    /// <summary>The handcrafted features of every unit.</summary>
    public FeatureTable Features { get; }

    /// <summary>The score of a method in a setting, or null when it was not measured.</summary>
    public EvaluationScore? Score(string method, string setting) =>
        Scores.FirstOrDefault(s => s.Method == method && s.Setting == setting);
}

/// <summary>The pooled probe metrics of one method in one setting.</summary>
/// <param name="Method"><c>nuclr</c> or <c>features</c>.</param>
/// <param name="Setting"><c>transductive</c> (units split at random, the model pretrained on every unit) or
/// <c>zero-shot</c> (leave one group out; for NuCLR the model never saw the held-out group).</param>
/// <param name="Metrics">Pooled held-out metrics (balanced accuracy, macro F1, confusion matrix).</param>
/// <param name="FoldBalancedAccuracies">Balanced accuracy of each held-out fold.</param>
public sealed record EvaluationScore(string Method, string Setting, ProbeMetrics Metrics, IReadOnlyList<double> FoldBalancedAccuracies);

/// <summary>Zero-shot balanced accuracy of a method fitted on a fraction of the training labels.</summary>
/// <param name="Method"><c>nuclr</c> or <c>features</c>.</param>
/// <param name="Fraction">Fraction of each fold's training labels used (stratified by class).</param>
/// <param name="Mean">Mean pooled balanced accuracy over the label subsamples.</param>
/// <param name="StandardDeviation">Sample standard deviation over the subsamples (0 with one subsample).</param>
/// <param name="Samples">Number of label subsamples.</param>
public sealed record LabelEfficiencyPoint(string Method, double Fraction, double Mean, double StandardDeviation, int Samples);

/// <summary>Zero-shot balanced accuracy of NuCLR pretrained on <paramref name="PretrainingGroups"/> groups.</summary>
/// <param name="PretrainingGroups">Groups (animals or sessions) the encoder was pretrained on, excluding the held-out one.</param>
/// <param name="BalancedAccuracy">Pooled balanced accuracy over the held-out groups.</param>
/// <param name="FoldBalancedAccuracies">Balanced accuracy of each held-out group.</param>
public sealed record ScalingPoint(int PretrainingGroups, double BalancedAccuracy, IReadOnlyList<double> FoldBalancedAccuracies);

/// <summary>One pretraining run of the protocol.</summary>
/// <param name="Purpose"><c>transductive</c>, <c>zero-shot</c> or <c>scaling</c>.</param>
/// <param name="HeldOut">The held-out group (null for the transductive run).</param>
/// <param name="TrainedOn">The groups whose sessions were sampled.</param>
/// <param name="FinalLoss">Loss of the last step.</param>
/// <param name="Seconds">Wall time of pretraining and embedding.</param>
public sealed record PretrainingRun(string Purpose, string? HeldOut, IReadOnlyList<string> TrainedOn, double FinalLoss, double Seconds);

/// <summary>Progress of <see cref="NuclrEvaluation.Run"/>: a <see cref="WorkProgress"/> over pretraining runs, with the current run's training step.</summary>
/// <param name="Stage">What is running, e.g. "pretraining 3/6 (zero-shot, without sub-02)".</param>
/// <param name="PretrainingsDone">Pretraining runs finished.</param>
/// <param name="PretrainingsTotal">Pretraining runs in the protocol.</param>
/// <param name="Training">The current run's latest step, or null between runs.</param>
public sealed record NuclrEvaluationProgress(string Stage, int PretrainingsDone, int PretrainingsTotal, TrainingProgress? Training)
    : WorkProgress(Stage, PretrainingsDone, PretrainingsTotal);
