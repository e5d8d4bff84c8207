using MLNeuro.Loaders.IO;
using ScottPlot;

namespace MLNeuro.Reporting;

/// <summary>
/// What every report plot shares: the embedded font and its sizes, the categorical palette, and the atomic PNG write.
/// </summary>
internal static class PlotStyle
{
    /// <summary>Font sizes in pixels.</summary>
    public const float TitleSize = 18, AxisLabelSize = 15, TickLabelSize = 13, LegendSize = 13;

    /// <summary>
    /// Fixed categorical palette: Tableau 10 without its grey (grey means "unlabelled"), then the light Tableau 20
    /// companions; the i-th class in ordinal order always gets colour i (cycling after 18 classes, where the scatter
    /// switches marker shape, see <see cref="Shapes"/>).
    /// </summary>
    public static readonly IReadOnlyList<Color> Categorical = new[]
    {
        "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#BCBD22", "#17BECF",
        "#AEC7E8", "#FFBB78", "#98DF8A", "#FF9896", "#C5B0D5", "#C49C94", "#F7B6D2", "#DBDB8D", "#9EDAE5",
    }.Select(Color.FromHex).ToArray();

    /// <summary>Marker shapes: the first 18 classes are circles, the next 18 squares, and so on, so that classes sharing a colour differ in shape.</summary>
    public static readonly IReadOnlyList<MarkerShape> Shapes =
        [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond];

    /// <summary>Colour of rows without a label.</summary>
    public static readonly Color Unlabelled = Color.FromHex("#9A9A9A");

    /// <summary>Colour of reference lines (chance level).</summary>
    public static readonly Color Reference = Color.FromHex("#555555");

    /// <summary>The colour of the <paramref name="index"/>-th class or series.</summary>
    public static Color CategoryColor(int index) => Categorical[index % Categorical.Count];

    /// <summary>The marker shape of the <paramref name="index"/>-th class (see <see cref="Shapes"/>).</summary>
    public static MarkerShape CategoryShape(int index) => Shapes[index / Categorical.Count % Shapes.Count];

    /// <summary>A plot with the embedded font everywhere, the standard sizes, a light grid and a bold title.</summary>
    public static Plot NewPlot(string title)
    {
        PlotFonts.EnsureRegistered();
        var plot = new Plot();
        plot.Title(title, TitleSize);
        UseFont(plot.Axes.Title.Label);
        plot.Axes.Title.Label.Bold = true;
        foreach (var axis in plot.Axes.GetAxes())
        {
            UseFont(axis.Label);
            UseFont(axis.TickLabelStyle);
            axis.Label.FontSize = AxisLabelSize;
            axis.Label.Bold = false;
            axis.TickLabelStyle.FontSize = TickLabelSize;
        }
        plot.Legend.FontName = PlotFonts.Family;
        plot.Legend.FontSize = LegendSize;
        plot.Grid.MajorLineColor = Color.FromHex("#E5E5E5");
        return plot;
    }

    /// <summary>Sets the bottom and left axis labels.</summary>
    public static void AxisLabels(Plot plot, string x, string y)
    {
        plot.XLabel(x, AxisLabelSize);
        plot.YLabel(y, AxisLabelSize);
        plot.Axes.Bottom.Label.Bold = false;
        plot.Axes.Left.Label.Bold = false;
    }

    /// <summary>A text label in the embedded font.</summary>
    public static void UseFont(LabelStyle label) => label.FontName = PlotFonts.Family;

    /// <summary>Shows the legend in its own panel right of the data (so it never covers points), top-aligned, flat.</summary>
    public static void LegendRight(Plot plot)
    {
        plot.Legend.FontName = PlotFonts.Family;
        plot.Legend.FontSize = LegendSize;
        plot.Legend.ShadowColor = Colors.Transparent;
        plot.Legend.OutlineColor = Color.FromHex("#C8C8C8");
        plot.ShowLegend(Edge.Right).Alignment = Alignment.UpperCenter;
    }

    /// <summary>Renders <paramref name="plot"/> as a PNG and writes it atomically (temporary file beside it, then a rename).</summary>
    public static void SavePng(Plot plot, string path, int width, int height)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(width, height, ImageFormat.Png));
    }
}
