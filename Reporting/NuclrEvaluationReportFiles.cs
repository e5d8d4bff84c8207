using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLNeuro.Estimators;
using MLNeuro.Loaders.IO;
using MLNeuro.Transforms;

namespace MLNeuro.Reporting;

/// <summary>
/// The report folder of a NuCLR evaluation, as <c>mlneuro evaluate nuclr</c> writes it: <c>report.json</c> (every score,
/// fold and setting), <c>report.md</c> (the tables and the plots with captions) and the PNG plots (PCA projections of
/// the embeddings and of the handcrafted features, the zero-shot confusion matrices, the label-efficiency curves and,
/// when the protocol ran it, the scaling curve).
/// </summary>
/// <example><code>
/// NuclrEvaluationReport report = NuclrEvaluation.Run(dataset, options);
/// NuclrEvaluationReportFiles.Write(report, "out/report", commandLine: "my-app evaluate");
/// </code></example>
public static class NuclrEvaluationReportFiles
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The plots the report folder holds, in the order report.md shows them.</summary>
    internal static readonly (string File, string Caption)[] Plots =
    {
        ("embeddings-2d.png", "NuCLR embeddings (pretrained on every unit), first two principal components, coloured by the label"),
        ("features-2d.png", "Handcrafted features, first two principal components, coloured by the label"),
        ("confusion-nuclr.png", "Zero-shot confusion matrix, NuCLR"),
        ("confusion-features.png", "Zero-shot confusion matrix, handcrafted features"),
        ("label-efficiency.png", "Zero-shot balanced accuracy against the fraction of training labels (mean and sd over label subsamples)"),
        ("scaling.png", "Zero-shot balanced accuracy against the number of pretraining groups"),
    };

    /// <summary>The file that marks a folder as an evaluation report (so it may be replaced by a newer one).</summary>
    internal const string JsonFile = "report.json";

    /// <summary>What a report folder is, for output checks: it holds <see cref="JsonFile"/>.</summary>
    internal static readonly FolderKind Folder = new(JsonFile, "an MLNeuro evaluation report");

    /// <summary>
    /// Writes <c>report.json</c>, <c>report.md</c> and the PNG plots into <paramref name="folder"/> (created if missing),
    /// each file atomically (a temporary file beside it, then a rename); files of the same names are replaced and other
    /// files are left alone. <c>scaling.png</c> is written only when the report has scaling points.
    /// </summary>
    /// <param name="report">The evaluation to report, from <see cref="NuclrEvaluation.Run"/>.</param>
    /// <param name="folder">The report folder.</param>
    /// <param name="commandLine">How the evaluation was run, recorded verbatim in both reports (e.g. the command line).</param>
    public static void Write(NuclrEvaluationReport report, string folder, string commandLine)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(commandLine);
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, JsonFile), ToJson(report, commandLine));
        AtomicFile.WriteAllText(Path.Combine(folder, "report.md"), ToMarkdown(report, commandLine));
        EvaluationPlots.Write(report, folder);
    }

    /// <summary>The content of <c>report.json</c>: an indented JSON object of every score, fold, curve and setting.</summary>
    /// <param name="report">The evaluation to report.</param>
    /// <param name="command">How the evaluation was run, recorded as <c>"command"</c>.</param>
    public static string ToJson(NuclrEvaluationReport report, string command)
    {
        ArgumentNullException.ThrowIfNull(report);
        var o = report.Options;
        var node = new JsonObject
        {
            ["dataset"] = report.DatasetPath,
            ["command"] = command,
            ["label"] = o.Label,
            ["group"] = o.Group,
            ["groups"] = Strings(report.Groups),
            ["classes"] = Strings(report.Scores[0].Metrics.Classes),
            ["chance"] = Number(report.Scores[0].Metrics.ChanceLevel),
            ["scores"] = new JsonArray(report.Scores.Select(s => (JsonNode)new JsonObject
            {
                ["method"] = s.Method,
                ["setting"] = s.Setting,
                ["balanced_accuracy"] = Number(s.Metrics.BalancedAccuracy),
                ["macro_f1"] = Number(s.Metrics.MacroF1),
                ["n_units"] = s.Metrics.UnitCount,
                ["fold_balanced_accuracy"] = Numbers(s.FoldBalancedAccuracies),
                ["confusion"] = Confusion(s.Metrics),
            }).ToArray()),
            ["label_efficiency"] = new JsonArray(report.LabelEfficiency.Select(p => (JsonNode)new JsonObject
            {
                ["method"] = p.Method,
                ["fraction"] = p.Fraction,
                ["balanced_accuracy_mean"] = Number(p.Mean),
                ["balanced_accuracy_sd"] = Number(p.StandardDeviation),
                ["samples"] = p.Samples,
            }).ToArray()),
            ["scaling"] = new JsonArray(report.Scaling.Select(p => (JsonNode)new JsonObject
            {
                ["pretraining_groups"] = p.PretrainingGroups,
                ["balanced_accuracy"] = Number(p.BalancedAccuracy),
                ["fold_balanced_accuracy"] = Numbers(p.FoldBalancedAccuracies),
            }).ToArray()),
            ["pretraining_runs"] = new JsonArray(report.Pretrainings.Select(r => (JsonNode)new JsonObject
            {
                ["purpose"] = r.Purpose,
                ["held_out"] = r.HeldOut,
                ["trained_on"] = Strings(r.TrainedOn),
                ["final_loss"] = Number(r.FinalLoss),
                ["seconds"] = Math.Round(r.Seconds, 1),
            }).ToArray()),
            ["model"] = JsonNode.Parse(o.Model.ToJson()),
            ["training"] = new JsonObject
            {
                ["steps"] = o.Training.TotalSteps,
                ["warmup_steps"] = o.Training.WarmupSteps,
                ["learning_rate"] = o.Training.LearningRate,
                ["weight_decay"] = o.Training.WeightDecay,
                ["seed"] = o.Training.Seed,
            },
            ["probe"] = new JsonObject
            {
                ["trainer"] = ProbeTrainer.LbfgsMaximumEntropy.ToString(),
                ["l2_regularization"] = ProbeOptions.Defaults.L2Regularization,
                ["transductive_folds"] = o.TransductiveFolds,
                ["label_seeds"] = o.LabelSeeds,
                ["seed"] = o.Seed,
            },
        };
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The content of <c>report.md</c>: the setup, the score tables and the plots (by file name) with their captions.</summary>
    /// <param name="report">The evaluation to report.</param>
    /// <param name="command">How the evaluation was run, quoted in the setup paragraph.</param>
    public static string ToMarkdown(NuclrEvaluationReport report, string command)
    {
        ArgumentNullException.ThrowIfNull(report);
        var o = report.Options;
        var m = o.Model;
        var chance = report.Scores[0].Metrics.ChanceLevel;
        var sb = new StringBuilder();
        sb.AppendLine($"# NuCLR evaluation: {o.Label}");
        sb.AppendLine();
        sb.AppendLine($"Dataset `{report.DatasetPath}`; {report.Groups.Count} values of `{o.Group}` ({string.Join(", ", report.Groups)}); "
            + $"classes {string.Join(", ", report.Scores[0].Metrics.Classes)} (chance {F(chance)}).");
        sb.AppendLine();
        sb.AppendLine($"Command: `{command}`");
        sb.AppendLine();
        sb.AppendLine($"Model: d {m.Encoder.Dim}, {m.Encoder.PatchCount} patches x {m.Encoder.BinsPerPatch} bins of {(m.Encoder.BinSeconds * 1000).ToString("0.##", C)} ms"
            + (m.Sampling.IntervalKind is { } kind ? $" (one patch per '{kind}' interval)" : $" ({m.Sampling.WindowSeconds.ToString("0.##", C)} s windows)")
            + $", objective {m.Objective.Kind}, {m.Sampling.Views} views, batch {m.Sampling.BatchSize}; {o.Training.TotalSteps} steps at lr {o.Training.LearningRate.ToString(C)}, seed {o.Training.Seed}. "
            + $"{report.Pretrainings.Count} pretraining runs, {report.Pretrainings.Sum(r => r.Seconds) / 60:F1} min in total.");
        sb.AppendLine();
        sb.AppendLine("Balanced accuracy of a class-balanced linear probe (pooled over held-out folds; macro F1 in brackets):");
        sb.AppendLine();
        sb.AppendLine($"| method | transductive (split by neuron, {o.TransductiveFolds} folds) | zero-shot (leave one {o.Group} out) |");
        sb.AppendLine("|---|---|---|");
        foreach (var method in new[] { NuclrEvaluation.Nuclr, NuclrEvaluation.Features })
            sb.AppendLine($"| {(method == NuclrEvaluation.Nuclr ? "NuCLR" : "handcrafted features")} | {Cell(report.Score(method, NuclrEvaluation.Transductive))} | {Cell(report.Score(method, NuclrEvaluation.ZeroShot))} |");
        sb.AppendLine();
        sb.AppendLine("Label efficiency (zero-shot; mean ± sd over label subsamples):");
        sb.AppendLine();
        var fractions = report.LabelEfficiency.Select(p => p.Fraction).Distinct().Order().ToArray();
        sb.AppendLine("| method | " + string.Join(" | ", fractions.Select(f => $"{(f * 100).ToString("0.#", C)}%")) + " |");
        sb.AppendLine("|---|" + string.Concat(fractions.Select(_ => "---|")));
        foreach (var method in new[] { NuclrEvaluation.Nuclr, NuclrEvaluation.Features })
            sb.AppendLine($"| {method} | " + string.Join(" | ", fractions.Select(f => report.LabelEfficiency.Single(p => p.Method == method && p.Fraction == f))
                .Select(p => p.Samples > 1 ? $"{F(p.Mean)} ± {F(p.StandardDeviation)}" : F(p.Mean))) + " |");
        if (report.Scaling.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine($"Scaling (zero-shot NuCLR against the number of pretraining {o.Group} values; features do not pretrain: {F(report.Score(NuclrEvaluation.Features, NuclrEvaluation.ZeroShot)?.Metrics.BalancedAccuracy)}):");
            sb.AppendLine();
            sb.AppendLine("| pretraining groups | " + string.Join(" | ", report.Scaling.Select(p => p.PretrainingGroups.ToString(C))) + " |");
            sb.AppendLine("|---|" + string.Concat(report.Scaling.Select(_ => "---|")));
            sb.AppendLine("| balanced accuracy | " + string.Join(" | ", report.Scaling.Select(p => F(p.BalancedAccuracy))) + " |");
        }
        sb.AppendLine();
        foreach (var (file, caption) in Plots)
            if (file != "scaling.png" || report.Scaling.Count > 0)
                sb.AppendLine($"![{caption}]({file})").AppendLine();
        return sb.ToString();
    }

    /// <summary>A table cell: balanced accuracy with macro F1 in brackets, or "-" for a score that was not computed.</summary>
    internal static string Cell(EvaluationScore? score) =>
        score is null ? "-" : $"{F(score.Metrics.BalancedAccuracy)} ({F(score.Metrics.MacroF1)})";

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v!).ToArray());

    private static JsonArray Numbers(IEnumerable<double> values) => new(values.Select(Number).ToArray());

    private static JsonArray Confusion(ProbeMetrics m) => ProbeReport.Confusion(m);

    private static JsonNode? Number(double value) => ProbeReport.Number(value);

    internal static string F(double? value) => ProbeReport.F(value);
}
