using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLNeuro.Loaders;
using MLNeuro.Transforms;
using Spectre.Console;

namespace MLNeuro.Cli.Output;

/// <summary>Renders a <see cref="ProbeResult"/> as Spectre tables (stdout) and as the <c>--json</c> object.</summary>
internal static class ProbeReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string ToJson(ProbeResult result, FeatureTable table, string tablePath)
    {
        var pooled = result.Pooled;
        var classes = result.Classes;
        var node = new JsonObject
        {
            ["table"] = Path.GetFullPath(tablePath),
            ["source"] = table.Source,
            ["dimension"] = table.Dimension,
            ["label"] = result.Options.Label,
            ["group"] = result.Options.Group,
            ["balanced_accuracy"] = Number(pooled.BalancedAccuracy),
            ["macro_f1"] = Number(pooled.MacroF1),
            ["accuracy"] = Number(pooled.Accuracy),
            ["chance"] = Number(pooled.ChanceLevel),
            ["n_units"] = pooled.UnitCount,
            ["n_unlabeled_omitted"] = result.OmittedUnlabeled,
            ["n_excluded_omitted"] = result.OmittedExcluded,
            ["classes"] = new JsonArray(classes.Select(c => (JsonNode)c!).ToArray()),
            ["confusion"] = Confusion(pooled),
            ["per_class_recall"] = PerClass(classes, pooled.PerClassRecall),
            ["per_class_f1"] = PerClass(classes, pooled.PerClassF1),
            ["n_folds"] = result.Folds.Count,
            ["folds"] = new JsonArray(result.Folds.Select(f => (JsonNode)new JsonObject
            {
                ["index"] = f.Index,
                ["test_groups"] = new JsonArray(f.TestGroups.Select(g => (JsonNode)g!).ToArray()),
                ["n_train"] = f.TrainUnits,
                ["n_train_used"] = f.TrainLabelsUsed,
                ["n_test"] = f.Metrics.UnitCount,
                ["balanced_accuracy"] = Number(f.Metrics.BalancedAccuracy),
                ["macro_f1"] = Number(f.Metrics.MacroF1),
                ["classes_missing_from_training"] = new JsonArray(f.ClassesMissingFromTraining.Select(c => (JsonNode)c!).ToArray()),
                ["confusion"] = Confusion(f.Metrics),
            }).ToArray()),
            ["options"] = new JsonObject
            {
                ["cross_validation"] = result.Options.Folds is null ? "leave-one-group-out" : "grouped-k-fold",
                ["folds"] = result.Options.Folds,
                ["exclude_labels"] = new JsonArray(result.Options.ExcludeLabels.Select(l => (JsonNode)l!).ToArray()),
                ["label_fraction"] = result.Options.LabelFraction,
                ["seed"] = result.Options.Seed,
                ["trainer"] = result.Options.Trainer.ToString(),
                ["l2_regularization"] = result.Options.L2Regularization,
                ["standardization"] = "mean/std of each training fold",
                ["class_balancing"] = "example weights n / (classes x n_class) in each training fold",
            },
        };
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public static void Print(IAnsiConsole console, ProbeResult result, string tablePath)
    {
        var pooled = result.Pooled;
        var cv = result.Options.Folds is null ? $"leave one {result.Options.Group} out" : $"{result.Options.Folds} folds grouped by {result.Options.Group}";
        var summary = new Table().Title(TerminalText.Markup($"probe '{result.Options.Label}' on {Path.GetFileName(tablePath)}")).AddColumns("", "");
        summary.HideHeaders();
        summary.AddRow("balanced accuracy", $"{F(pooled.BalancedAccuracy)} (chance {F(pooled.ChanceLevel)})");
        summary.AddRow("macro F1", F(pooled.MacroF1));
        summary.AddRow("accuracy", F(pooled.Accuracy));
        var excluded = result.OmittedExcluded > 0 || result.Options.ExcludeLabels.Count > 0
            ? $", {result.OmittedExcluded.ToString(C)} labelled {string.Join(" / ", result.Options.ExcludeLabels)} excluded"
            : "";
        summary.AddRow("units", TerminalText.Markup($"{pooled.UnitCount.ToString(C)} labelled, {result.OmittedUnlabeled.ToString(C)} without a label left out{excluded}"));
        summary.AddRow("cross-validation", TerminalText.Markup($"{cv}: {result.Folds.Count} folds"));
        summary.AddRow("training labels", TerminalText.Markup($"{(result.Options.LabelFraction * 100).ToString("0.#", C)}% of each class (per training fold), seed {result.Options.Seed}"));
        summary.AddRow("trainer", TerminalText.Markup($"{result.Options.Trainer}, L2 {result.Options.L2Regularization.ToString(C)}"));
        console.Write(summary);

        var perClass = new Table().AddColumns("class", "units", "recall", "F1");
        for (int c = 0; c < result.Classes.Count; c++)
        {
            long units = 0;
            for (int j = 0; j < result.Classes.Count; j++) units += pooled.Confusion(c, j);
            perClass.AddRow(TerminalText.Markup(result.Classes[c]), units.ToString(C), F(pooled.PerClassRecall[c]), F(pooled.PerClassF1[c]));
        }
        console.Write(perClass);

        var confusion = new Table().Title("confusion matrix").AddColumn("truth \\ predicted");
        foreach (var c in result.Classes) confusion.AddColumn(TerminalText.Markup(c));
        for (int c = 0; c < result.Classes.Count; c++)
            confusion.AddRow(new[] { TerminalText.Markup(result.Classes[c]) }.Concat(Enumerable.Range(0, result.Classes.Count).Select(j => pooled.Confusion(c, j).ToString(C))).ToArray());
        console.Write(confusion);

        var folds = new Table().AddColumns("fold", "held out", "train (used)", "test", "balanced acc.", "macro F1");
        foreach (var f in result.Folds)
            folds.AddRow(f.Index.ToString(C), TerminalText.Markup(Shorten(string.Join(", ", f.TestGroups))), $"{f.TrainUnits.ToString(C)} ({f.TrainLabelsUsed.ToString(C)})",
                f.Metrics.UnitCount.ToString(C), F(f.Metrics.BalancedAccuracy), F(f.Metrics.MacroF1));
        var missing = result.Folds.Where(f => f.ClassesMissingFromTraining.Count > 0).ToArray();
        if (missing.Length > 0)
            folds.Caption(TerminalText.Markup($"classes absent from training (recall 0 in that fold): {string.Join("; ", missing.Select(f => $"fold {f.Index}: {string.Join(", ", f.ClassesMissingFromTraining)}"))}"));
        console.Write(folds);
    }

    internal static JsonArray Confusion(ProbeMetrics m) =>
        new(Enumerable.Range(0, m.Classes.Count).Select(c => (JsonNode)new JsonArray(Enumerable.Range(0, m.Classes.Count).Select(j => (JsonNode)m.Confusion(c, j)).ToArray())).ToArray());

    private static JsonObject PerClass(IReadOnlyList<string> classes, IReadOnlyList<double?> values)
    {
        var o = new JsonObject();
        for (int c = 0; c < classes.Count; c++) o[classes[c]] = values[c] is { } v ? Number(v) : null;
        return o;
    }

    /// <summary>JSON has no NaN: an undefined metric (no units) is written as null.</summary>
    internal static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(Math.Round(value, 6)) : null;

    internal static string F(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("F3", C) : "-";

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";
}
