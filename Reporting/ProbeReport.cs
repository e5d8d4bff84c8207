using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLNeuro.Loaders;
using MLNeuro.Transforms;

namespace MLNeuro.Reporting;

/// <summary>
/// The JSON report of a linear probe (<see cref="Probe.Run"/>), as <c>mlneuro probe --json</c> writes it: pooled
/// balanced accuracy, macro F1, accuracy and chance, the confusion matrix, per-class recall and F1, every fold, and the
/// options. Undefined metrics (no units) are null; numbers are rounded to 6 decimals.
/// </summary>
/// <example><code>
/// var table = FeatureTable.Read("features.parquet");
/// var result = Probe.Run(table, new ProbeOptions { Label = "cell_type", Group = "subject_id" });
/// File.WriteAllText("probe.json", ProbeReport.ToJson(result, table, "features.parquet"));
/// </code></example>
public static class ProbeReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The probe's result as one indented JSON object.</summary>
    /// <param name="result">The probe's result.</param>
    /// <param name="table">The feature table the probe ran on (its source and dimension are recorded).</param>
    /// <param name="tablePath">The table's file, recorded as a full path.</param>
    public static string ToJson(ProbeResult result, FeatureTable table, string tablePath)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(tablePath);
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

    /// <summary>A metric with three decimals (invariant culture), or "-" when undefined.</summary>
    internal static string F(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("F3", C) : "-";
}
