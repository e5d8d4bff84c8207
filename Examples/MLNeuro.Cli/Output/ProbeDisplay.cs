using System.Globalization;
using MLNeuro.Reporting;
using MLNeuro.Transforms;
using Spectre.Console;

namespace MLNeuro.Cli.Output;

/// <summary>Prints a <see cref="ProbeResult"/> as Spectre tables (stdout); its <c>--json</c> object is <see cref="ProbeReport.ToJson"/>.</summary>
internal static class ProbeDisplay
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Print(IAnsiConsole console, ProbeResult result, string tablePath)
    {
        var pooled = result.Pooled;
        var cv = result.Options.Folds is null ? $"leave one {result.Options.Group} out" : $"{result.Options.Folds} folds grouped by {result.Options.Group}";
        var summary = new Table().Title(TerminalText.Markup($"probe '{result.Options.Label}' on {Path.GetFileName(tablePath)}")).AddColumns("", "");
        summary.HideHeaders();
        summary.AddRow("balanced accuracy", $"{ProbeReport.F(pooled.BalancedAccuracy)} (chance {ProbeReport.F(pooled.ChanceLevel)})");
        summary.AddRow("macro F1", ProbeReport.F(pooled.MacroF1));
        summary.AddRow("accuracy", ProbeReport.F(pooled.Accuracy));
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
            perClass.AddRow(TerminalText.Markup(result.Classes[c]), units.ToString(C), ProbeReport.F(pooled.PerClassRecall[c]), ProbeReport.F(pooled.PerClassF1[c]));
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
                f.Metrics.UnitCount.ToString(C), ProbeReport.F(f.Metrics.BalancedAccuracy), ProbeReport.F(f.Metrics.MacroF1));
        var missing = result.Folds.Where(f => f.ClassesMissingFromTraining.Count > 0).ToArray();
        if (missing.Length > 0)
            folds.Caption(TerminalText.Markup($"classes absent from training (recall 0 in that fold): {string.Join("; ", missing.Select(f => $"fold {f.Index}: {string.Join(", ", f.ClassesMissingFromTraining)}"))}"));
        console.Write(folds);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";
}
