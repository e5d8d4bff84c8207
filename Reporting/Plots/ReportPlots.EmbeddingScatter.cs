using ScottPlot;

namespace MLNeuro.Reporting;

/// <summary>
/// The PNG figures of an evaluation report (embedding scatter, confusion matrix, curves), rendered with ScottPlot in
/// the embedded font (<see cref="PlotFonts"/>) and written atomically.
/// </summary>
public static partial class ReportPlots
{
    /// <summary>Size of the embedding scatter in pixels.</summary>
    internal const int ScatterWidth = 800, ScatterHeight = 600;

    /// <summary>Legend and colour entry for rows whose label is null or empty.</summary>
    internal const string UnlabelledName = "unlabelled";

    /// <summary>
    /// Writes a PNG of the rows of <paramref name="features"/> projected onto their first two principal components
    /// (<see cref="Projection2D"/>), one colour per label. Classes are sorted ordinally and coloured from
    /// <see cref="PlotStyle.Categorical"/> in that order; rows with a null or empty label are drawn grey, underneath,
    /// as "unlabelled". After 18 classes the colours repeat with another marker shape. The legend (class and row count)
    /// sits right of the data; the axes read "PC1 (xx.x% var)". The image is 800 x 600, taller when the legend needs it.
    /// </summary>
    /// <example><code>
    /// ReportPlots.WriteEmbeddingScatter("report/embedding.png", embeddings, units, 64, cellTypes, "NuCLR embeddings by cell type");
    /// </code></example>
    /// <exception cref="ArgumentException"><paramref name="labels"/> does not hold one label per row, or the features are malformed (see <see cref="Projection2D.Compute"/>).</exception>
    internal static void WriteEmbeddingScatter(string path, ReadOnlySpan<float> features, int rows, int dim, IReadOnlyList<string?> labels, string title)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != rows)
            throw new ArgumentException($"labels holds {labels.Count} labels but there are {rows} rows", nameof(labels));
        var projection = Projection2D.Compute(features, rows, dim);

        var classes = labels.Where(l => !string.IsNullOrEmpty(l)).Select(l => l!).Distinct().Order(StringComparer.Ordinal).ToList();
        var classIndex = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var xs = Enumerable.Range(0, classes.Count + 1).Select(_ => new List<double>()).ToArray();
        var ys = Enumerable.Range(0, classes.Count + 1).Select(_ => new List<double>()).ToArray();
        for (int r = 0; r < rows; r++)
        {
            int group = string.IsNullOrEmpty(labels[r]) ? classes.Count : classIndex[labels[r]!];
            xs[group].Add(projection.Pc1[r]);
            ys[group].Add(projection.Pc2[r]);
        }

        using var plot = PlotStyle.NewPlot(title);
        float markerSize = rows switch { <= 300 => 7, <= 3000 => 5, _ => 3.5f };
        int unlabelled = classes.Count;
        Color ColorOf(int group) => group == unlabelled ? PlotStyle.Unlabelled : PlotStyle.CategoryColor(group);
        MarkerShape ShapeOf(int group) => group == unlabelled ? MarkerShape.FilledCircle : PlotStyle.CategoryShape(group);
        // Unlabelled rows are drawn first, under the labelled ones; in the legend they come last.
        foreach (int group in Enumerable.Range(0, classes.Count).Prepend(unlabelled))
        {
            if (xs[group].Count == 0) continue;
            var color = ColorOf(group).WithAlpha(group == unlabelled ? 0.5 : 0.8);
            plot.Add.Markers(xs[group].ToArray(), ys[group].ToArray(), ShapeOf(group), markerSize, color);
        }
        for (int group = 0; group <= unlabelled; group++)
        {
            if (xs[group].Count == 0) continue;
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = $"{(group == unlabelled ? UnlabelledName : classes[group])} ({xs[group].Count})",
                LabelFontName = PlotFonts.Family,
                LabelFontSize = PlotStyle.LegendSize,
                MarkerShape = ShapeOf(group),
                MarkerSize = 10,
                MarkerFillColor = ColorOf(group),
                MarkerLineColor = ColorOf(group),
            });
        }
        if (plot.Legend.ManualItems.Count > 0) PlotStyle.LegendRight(plot);

        PlotStyle.AxisLabels(plot,
            $"PC1 ({100 * projection.Pc1VarianceFraction:0.0}% var)",
            $"PC2 ({100 * projection.Pc2VarianceFraction:0.0}% var)");
        // One legend line is about 21 pixels; a long legend makes the image taller rather than running off the edge.
        int height = Math.Max(ScatterHeight, 100 + 21 * plot.Legend.ManualItems.Count);
        PlotStyle.SavePng(plot, path, ScatterWidth, height);
    }
}
