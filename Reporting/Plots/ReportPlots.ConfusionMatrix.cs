using System.Globalization;
using ScottPlot;

namespace MLNeuro.Reporting;

public static partial class ReportPlots
{
    /// <summary>
    /// Writes a PNG heatmap of a confusion matrix: rows are the true class (first class on top), columns the predicted
    /// class, both in the order of <paramref name="classes"/>. A cell's colour is its row-normalised fraction (recall on
    /// the diagonal; colour bar 0 to 1), its text the count; a row without examples is grey. The image grows with the
    /// number of classes: cells of 80 pixels up to 8 classes, shrinking to 28 pixels from 23 classes on (at least
    /// 480 x 420); predicted-class names wider than a cell are turned 45 degrees.
    /// </summary>
    /// <param name="path">The PNG to write (atomically).</param>
    /// <param name="classes">Class names, in the order of the rows and columns of <paramref name="counts"/>.</param>
    /// <param name="counts">Counts [true, predicted], k x k for k classes, none negative.</param>
    /// <param name="title">The title; <paramref name="balancedAccuracy"/>, when given, is appended to it.</param>
    /// <param name="balancedAccuracy">Balanced accuracy to show in the title, e.g. <c>ProbeMetrics.BalancedAccuracy</c>.</param>
    /// <example><code>
    /// ReportPlots.WriteConfusionMatrix("report/confusion.png", metrics.Classes, metrics.Confusion, "cell type, NuCLR probe", metrics.BalancedAccuracy);
    /// </code></example>
    /// <exception cref="ArgumentException"><paramref name="classes"/> is empty or holds a null, empty or repeated name; <paramref name="counts"/> is not k x k or holds a negative count.</exception>
    internal static void WriteConfusionMatrix(string path, IReadOnlyList<string> classes, long[,] counts, string title, double? balancedAccuracy = null)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(counts);
        int k = classes.Count;
        if (k == 0) throw new ArgumentException("classes is empty", nameof(classes));
        if (classes.Any(string.IsNullOrEmpty)) throw new ArgumentException("classes holds a null or empty name", nameof(classes));
        if (classes.Distinct(StringComparer.Ordinal).Count() != k) throw new ArgumentException("classes holds a name twice", nameof(classes));
        if (counts.GetLength(0) != k || counts.GetLength(1) != k)
            throw new ArgumentException($"counts is {counts.GetLength(0)} x {counts.GetLength(1)} but there are {k} classes", nameof(counts));

        var fraction = new double[k, k];
        for (int t = 0; t < k; t++)
        {
            long total = 0;
            for (int p = 0; p < k; p++)
            {
                if (counts[t, p] < 0) throw new ArgumentException($"counts[{t}, {p}] is negative ({counts[t, p]})", nameof(counts));
                total += counts[t, p];
            }
            for (int p = 0; p < k; p++) fraction[t, p] = total > 0 ? counts[t, p] / (double)total : double.NaN;
        }

        var fullTitle = balancedAccuracy is { } ba
            ? $"{title} (balanced accuracy {ba.ToString("0.000", CultureInfo.InvariantCulture)})"
            : title;
        using var plot = PlotStyle.NewPlot(fullTitle);

        // ScottPlot's default heatmap extent has unit cells centred on integers, row 0 at the top: cell (t, p) is
        // centred on (p, k - 1 - t).
        var heatmap = plot.Add.Heatmap(fraction);
        heatmap.Colormap = new ScottPlot.Colormaps.Reversed(new ScottPlot.Colormaps.Blues()); // white at 0, dark blue at 1
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        heatmap.NaNCellColor = Color.FromHex("#E8E8E8");

        int cell = Math.Clamp(640 / k, 28, 80);
        float textSize = Math.Clamp(cell * 0.3f, 9, 18);
        for (int t = 0; t < k; t++)
            for (int p = 0; p < k; p++)
            {
                var text = plot.Add.Text(counts[t, p].ToString(CultureInfo.InvariantCulture), p, k - 1 - t);
                PlotStyle.UseFont(text.LabelStyle);
                text.LabelFontSize = textSize;
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontColor = fraction[t, p] > 0.55 ? Colors.White : Color.FromHex("#202020");
            }

        var positions = Enumerable.Range(0, k).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, classes.ToArray());
        plot.Axes.Left.SetTicks(positions, classes.Reverse().ToArray());
        foreach (var axis in new ScottPlot.IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
        {
            axis.TickLabelStyle.FontName = PlotFonts.Family;
            axis.TickLabelStyle.FontSize = PlotStyle.TickLabelSize;
            axis.MajorTickStyle.Length = 0;
            axis.MinorTickStyle.Length = 0;
        }
        // Predicted-class names wider than a cell are turned 45 degrees; the axis gets room for the longest.
        float widest = classes.Max(c => PlotFonts.MeasureWidth(c, PlotStyle.TickLabelSize));
        bool rotate = widest > cell - 2;
        float bottomRoom = rotate ? widest * 0.71f + PlotStyle.TickLabelSize + 24 : 0;
        if (rotate)
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
            plot.Axes.Bottom.MinimumSize = bottomRoom;
        }
        PlotStyle.AxisLabels(plot, "predicted", "true");
        plot.Grid.IsVisible = false;
        plot.Axes.SetLimits(-0.5, k - 0.5, -0.5, k - 0.5);

        var colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Label = "fraction of true class";
        colorBar.LabelStyle.FontSize = PlotStyle.AxisLabelSize;
        colorBar.LabelStyle.Bold = false;
        PlotStyle.UseFont(colorBar.LabelStyle);
        colorBar.Axis.SetTicks([0, 0.25, 0.5, 0.75, 1], ["0", "0.25", "0.5", "0.75", "1"]);
        colorBar.Axis.TickLabelStyle.FontName = PlotFonts.Family;
        colorBar.Axis.TickLabelStyle.FontSize = PlotStyle.TickLabelSize;
        colorBar.Axis.MinorTickStyle.Length = 0;

        int side = k * cell;
        int width = (int)(side + widest + 190);
        int height = (int)(side + Math.Max(bottomRoom, 50) + 70);
        // The title is bold (about 10% wider than the regular face measured here) and must not be clipped.
        int titleWidth = (int)(PlotFonts.MeasureWidth(fullTitle, PlotStyle.TitleSize) * 1.1f + 40);
        PlotStyle.SavePng(plot, path, Math.Max(Math.Max(480, titleWidth), width), Math.Max(420, height));
    }
}
