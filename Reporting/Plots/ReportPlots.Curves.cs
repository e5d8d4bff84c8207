using System.Globalization;
using ScottPlot;

namespace MLNeuro.Reporting;

public static partial class ReportPlots
{
    /// <summary>Size of a curves plot in pixels.</summary>
    internal const int CurvesWidth = 800, CurvesHeight = 600;

    /// <summary>
    /// Writes a PNG of named curves on shared axes (lines with markers, error bars where a series has them), in the
    /// palette's order, with an optional dashed horizontal chance line; the legend sits right of the data.
    /// With few distinct x values (at most 12 over all series) the x ticks are exactly those values, otherwise they are
    /// automatic (linear) or 1-2-5 per decade (log). With <paramref name="logX"/> the x axis is log-scaled, and when
    /// every x is a fraction in (0, 1] its ticks read as percentages (0.125 -> "12.5%"), as for label efficiency.
    /// </summary>
    /// <param name="path">The PNG to write (atomically).</param>
    /// <param name="title">Title.</param>
    /// <param name="xLabel">Label of the x axis.</param>
    /// <param name="yLabel">Label of the y axis.</param>
    /// <param name="series">At least one series; finite x and y of equal length, errors finite and not negative.</param>
    /// <param name="chance">Height of the chance line, or null for none.</param>
    /// <param name="logX">Log-scale the x axis (every x must then be positive).</param>
    /// <example><code>
    /// ReportPlots.WriteCurves("report/label-efficiency.png", "cell type vs labelled fraction", "labelled units",
    ///     "balanced accuracy", [new("NuCLR", fractions, meanBa, sdBa), new("features", fractions, baseline, null)],
    ///     chance: 0.25, logX: true);
    /// </code></example>
    /// <exception cref="ArgumentException"><paramref name="series"/> is empty or a series is malformed (lengths differ,
    /// non-finite values, a negative error, a non-positive x with <paramref name="logX"/>); <paramref name="chance"/> is not finite.</exception>
    internal static void WriteCurves(string path, string title, string xLabel, string yLabel, IReadOnlyList<CurveSeries> series, double? chance, bool logX)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count == 0) throw new ArgumentException("series is empty", nameof(series));
        foreach (var s in series) Validate(s, logX);
        if (chance is { } c && !double.IsFinite(c)) throw new ArgumentException($"chance is {c}", nameof(chance));

        double Scale(double x) => logX ? Math.Log10(x) : x;
        using var plot = PlotStyle.NewPlot(title);
        double yMin = double.PositiveInfinity, yMax = double.NegativeInfinity;
        for (int i = 0; i < series.Count; i++)
        {
            var s = series[i];
            var order = Enumerable.Range(0, s.X.Length).OrderBy(j => s.X[j]).ToArray();
            var xs = order.Select(j => Scale(s.X[j])).ToArray();
            var ys = order.Select(j => s.Y[j]).ToArray();
            var color = PlotStyle.CategoryColor(i);
            if (s.YError is { } error)
            {
                var errors = order.Select(j => error[j]).ToArray();
                var bars = plot.Add.ErrorBar(xs, ys, errors);
                bars.Color = color;
                bars.LineWidth = 1.5f;
                bars.CapSize = 6;
                for (int j = 0; j < ys.Length; j++) { yMin = Math.Min(yMin, ys[j] - errors[j]); yMax = Math.Max(yMax, ys[j] + errors[j]); }
            }
            var line = plot.Add.Scatter(xs, ys, color);
            line.LineWidth = 2.5f;
            line.MarkerSize = 8;
            line.LegendText = s.Name;
            foreach (var y in ys) { yMin = Math.Min(yMin, y); yMax = Math.Max(yMax, y); }
        }
        if (chance is { } level)
        {
            var chanceLine = plot.Add.HorizontalLine(level, 1.5f, PlotStyle.Reference, LinePattern.Dashed);
            chanceLine.LegendText = "chance";
            yMin = Math.Min(yMin, level);
            yMax = Math.Max(yMax, level);
        }

        var allX = series.SelectMany(s => s.X).Distinct().Order().ToArray();
        bool percent = logX && allX.All(x => x <= 1);
        double xLow = Scale(allX[0]), xHigh = Scale(allX[^1]);
        double xPad = xHigh > xLow ? 0.05 * (xHigh - xLow) : logX ? 0.1 : 0.5;
        double yPad = yMax > yMin ? 0.08 * (yMax - yMin) : Math.Max(0.05 * Math.Abs(yMax), 0.05);
        if (allX.Length <= 12 || logX)
        {
            var ticks = allX.Length <= 12 ? allX : DecadeTicks(allX[0], allX[^1]);
            plot.Axes.Bottom.SetTicks(ticks.Select(Scale).ToArray(), ticks.Select(x => FormatTick(x, percent)).ToArray());
        }
        else
        {
            var (xTicks, xLabels) = LinearTicks(xLow - xPad, xHigh + xPad);
            plot.Axes.Bottom.SetTicks(xTicks, xLabels);
        }
        var (yTicks, yLabels) = LinearTicks(yMin - yPad, yMax + yPad);
        plot.Axes.Left.SetTicks(yTicks, yLabels);
        foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left }) PlotStyle.UseFont(axis.TickLabelStyle);
        plot.Axes.SetLimits(xLow - xPad, xHigh + xPad, yMin - yPad, yMax + yPad);
        PlotStyle.AxisLabels(plot, xLabel, yLabel);
        PlotStyle.LegendRight(plot);
        PlotStyle.SavePng(plot, path, CurvesWidth, CurvesHeight);
    }

    private static void Validate(CurveSeries s, bool logX)
    {
        const string Name = "series";
        if (s is null) throw new ArgumentException("series holds a null series", Name);
        if (s.X is null || s.Y is null) throw new ArgumentException($"series '{s.Name}' has no x or no y", Name);
        if (s.X.Length == 0) throw new ArgumentException($"series '{s.Name}' has no points", Name);
        if (s.Y.Length != s.X.Length) throw new ArgumentException($"series '{s.Name}' has {s.X.Length} x but {s.Y.Length} y values", Name);
        if (s.YError is { } e && e.Length != s.X.Length) throw new ArgumentException($"series '{s.Name}' has {s.X.Length} x but {e.Length} y errors", Name);
        for (int i = 0; i < s.X.Length; i++)
        {
            if (!double.IsFinite(s.X[i]) || !double.IsFinite(s.Y[i]))
                throw new ArgumentException($"series '{s.Name}' point {i} is ({s.X[i]}, {s.Y[i]}), not finite", Name);
            if (logX && s.X[i] <= 0)
                throw new ArgumentException($"series '{s.Name}' has x = {s.X[i]} at point {i}, which a log x axis cannot show", Name);
            if (s.YError is { } error && !(double.IsFinite(error[i]) && error[i] >= 0))
                throw new ArgumentException($"series '{s.Name}' has y error {error[i]} at point {i}; errors are finite and not negative", Name);
        }
    }

    // 1, 2, 5 x 10^k between low and high (positive), for a log axis with many distinct x values.
    private static double[] DecadeTicks(double low, double high)
    {
        var ticks = new List<double>();
        for (int decade = (int)Math.Floor(Math.Log10(low)); decade <= (int)Math.Ceiling(Math.Log10(high)); decade++)
            foreach (var m in new[] { 1.0, 2.0, 5.0 })
            {
                double tick = m * Math.Pow(10, decade);
                if (tick >= low * (1 - 1e-9) && tick <= high * (1 + 1e-9)) ticks.Add(tick);
            }
        return ticks.Count > 0 ? ticks.ToArray() : [low, high];
    }

    // Ticks 1, 2, 2.5 or 5 x 10^k apart (the step nearest (high - low) / 7 on a log scale, so 5 to 10 ticks) inside
    // [low, high], all printed with the same number of decimals.
    private static (double[] Positions, string[] Labels) LinearTicks(double low, double high)
    {
        double raw = (high - low) / 7;
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double multiple = new[] { 1, 2, 2.5, 5, 10 }.MinBy(m => Math.Abs(Math.Log(m * power / raw)));
        double step = multiple * power;
        int decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9) + (multiple == 2.5 ? 1 : 0));
        var positions = new List<double>();
        for (double t = Math.Ceiling(low / step - 1e-9) * step; t <= high + step * 1e-9; t += step)
            positions.Add(Math.Round(t / step) * step);
        var format = "F" + decimals.ToString(CultureInfo.InvariantCulture);
        return (positions.ToArray(), positions.Select(t => (t == 0 ? 0 : t).ToString(format, CultureInfo.InvariantCulture)).ToArray());
    }

    private static string FormatTick(double x, bool percent) => percent
        ? (100 * x).ToString("0.###", CultureInfo.InvariantCulture) + "%"
        : x.ToString("G4", CultureInfo.InvariantCulture);
}
