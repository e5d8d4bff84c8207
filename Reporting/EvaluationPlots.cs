using MLNeuro.Estimators;
using MLNeuro.Loaders;

namespace MLNeuro.Reporting;

/// <summary>Writes the PNG plots of an evaluation report (files and captions in <see cref="NuclrEvaluationReportFiles.Plots"/>).</summary>
internal static class EvaluationPlots
{
    public static void Write(NuclrEvaluationReport report, string folder)
    {
        var o = report.Options;
        var excluded = o.ExcludeLabels.ToHashSet(StringComparer.Ordinal);
        Scatter(Path.Combine(folder, "embeddings-2d.png"), report.TransductiveEmbeddings, o.Label, excluded, $"NuCLR embeddings by {o.Label}");
        Scatter(Path.Combine(folder, "features-2d.png"), report.Features, o.Label, excluded, $"Handcrafted features by {o.Label}");

        foreach (var method in new[] { NuclrEvaluation.Nuclr, NuclrEvaluation.Features })
        {
            var score = report.Score(method, NuclrEvaluation.ZeroShot)!;
            ReportPlots.WriteConfusionMatrix(Path.Combine(folder, $"confusion-{method}.png"), score.Metrics.Classes, score.Metrics.ConfusionMatrix(),
                $"{Name(method)}, zero-shot", score.Metrics.BalancedAccuracy);
        }

        double chance = report.Scores[0].Metrics.ChanceLevel;
        var efficiency = new[] { NuclrEvaluation.Nuclr, NuclrEvaluation.Features }.Select(method =>
        {
            var points = report.LabelEfficiency.Where(p => p.Method == method).OrderBy(p => p.Fraction).ToArray();
            return new CurveSeries(Name(method), points.Select(p => p.Fraction).ToArray(), points.Select(p => p.Mean).ToArray(), points.Select(p => p.StandardDeviation).ToArray());
        }).ToArray();
        ReportPlots.WriteCurves(Path.Combine(folder, "label-efficiency.png"), $"Label efficiency, {o.Label} (zero-shot)",
            "training labels used", "balanced accuracy", efficiency, chance, logX: true);

        if (report.Scaling.Count > 0)
        {
            var x = report.Scaling.Select(p => (double)p.PretrainingGroups).ToArray();
            var baseline = report.Score(NuclrEvaluation.Features, NuclrEvaluation.ZeroShot)!.Metrics.BalancedAccuracy;
            ReportPlots.WriteCurves(Path.Combine(folder, "scaling.png"), $"Scaling with pretraining data, {o.Label} (zero-shot)",
                $"pretraining {o.Group} values", "balanced accuracy", new[]
                {
                    new CurveSeries(Name(NuclrEvaluation.Nuclr), x, report.Scaling.Select(p => p.BalancedAccuracy).ToArray()),
                    new CurveSeries($"{Name(NuclrEvaluation.Features)} (no pretraining)", x, x.Select(_ => baseline).ToArray()),
                }, chance, logX: false);
        }
    }

    private static string Name(string method) => method == NuclrEvaluation.Nuclr ? "NuCLR" : "handcrafted features";

    /// <summary>PCA scatter of a table's rows, labels left out of the probe drawn as unlabelled.</summary>
    private static void Scatter(string path, FeatureTable table, string label, HashSet<string> excluded, string title)
    {
        var labels = table.Column(label).Select(l => l is not null && excluded.Contains(l) ? null : l).ToArray();
        ReportPlots.WriteEmbeddingScatter(path, table.Features, table.RowCount, table.Dimension, labels, title);
    }
}
