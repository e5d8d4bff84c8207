using System.Globalization;
using MLNeuro.Estimators;
using MLNeuro.Loaders.IO;
using MLNeuro.Transforms;
using ScottPlot;
using SkiaSharp;

namespace MLNeuro.Reporting;

/// <summary>
/// The PNG plots of MLNeuro's reports, drawn with ScottPlot in an embedded DejaVu Sans (the same on every machine, no
/// installed font needed) and written atomically. Public here: the decoded-behaviour traces that
/// <c>mlneuro decode eval --plots</c> writes; the NuCLR evaluation's plots come with
/// <see cref="NuclrEvaluationReportFiles.Write"/>.
/// </summary>
public static partial class ReportPlots
{
    /// <summary>Width of a decoded-traces image, height of its title band and of each channel's panel, in pixels.</summary>
    public const int TracesWidth = 1000, TracesHeaderHeight = 44, TracesPanelHeight = 220;

    /// <summary>Colour of the true behaviour in decoded-trace panels (near black), and of the decoded one (the palette's orange).</summary>
    private static readonly Color TrueColor = Color.FromHex("#222222"), DecodedColor = PlotStyle.CategoryColor(1);

    /// <summary>
    /// Writes a PNG of true and decoded behaviour over time for one session: a bold title band, then one panel per
    /// channel stacked top to bottom (<see cref="TracesWidth"/> wide, <see cref="TracesHeaderHeight"/> +
    /// <see cref="TracesPanelHeight"/> per channel high), true in near black and decoded in orange, x = session time in
    /// seconds over the first <paramref name="maxSeconds"/> of the trace (the session's evaluation part). Each panel's
    /// title gives the channel's R² over the whole trace (not only the plotted stretch). Lines break where the truth is
    /// NaN (tracking dropouts) or the prediction is not finite, and across gaps in time longer than 5 median sample
    /// steps (between evaluation intervals), so nothing is drawn where nothing was measured.
    /// </summary>
    /// <param name="path">The PNG to write (atomically).</param>
    /// <param name="title">Title of the image (e.g. decoder and session).</param>
    /// <param name="trace">True and decoded values of one session, from <see cref="DecodingEvaluation.Traces"/>.</param>
    /// <param name="channels">Names of the trace's channels in its order (<see cref="DecodingEvaluation.Channels"/>).</param>
    /// <param name="maxSeconds">Length of the plotted stretch from the trace's first sample, in seconds; positive.</param>
    /// <example><code>
    /// var evaluation = DecodingEvaluator.Evaluate(decoder, parts);
    /// foreach (var trace in evaluation.Traces)
    ///     ReportPlots.WriteDecodedTraces($"report/traces-{trace.SessionId}.png", $"POYO, {trace.SessionId}", trace, evaluation.Channels);
    /// </code></example>
    /// <exception cref="ArgumentException">The trace is empty or malformed (value or prediction counts that do not match
    /// its times and <paramref name="channels"/>, non-ascending times, a non-finite prediction of a finite true value),
    /// <paramref name="channels"/> is empty, or <paramref name="maxSeconds"/> is not a positive number.</exception>
    public static void WriteDecodedTraces(string path, string title, DecodedTrace trace, IReadOnlyList<string> channels, double maxSeconds = 60)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.Count == 0) throw new ArgumentException("no channel to plot", nameof(channels));
        if (!(double.IsFinite(maxSeconds) && maxSeconds > 0))
            throw new ArgumentException($"maxSeconds is {maxSeconds}; it must be a positive number of seconds", nameof(maxSeconds));
        var targets = trace.Targets ?? throw new ArgumentException($"trace of session '{trace.SessionId}' has no targets", nameof(trace));
        int c = channels.Count;
        if (targets.ChannelCount != c)
            throw new ArgumentException($"trace of session '{trace.SessionId}' has {targets.ChannelCount} channels but {c} channel names were given", nameof(channels));
        if (targets.Times is null || targets.Values is null || trace.Predicted is null)
            throw new ArgumentException($"trace of session '{trace.SessionId}' has no times, values or predictions", nameof(trace));
        int n = targets.Times.Length;
        if (n == 0) throw new ArgumentException($"trace of session '{trace.SessionId}' has no samples", nameof(trace));
        if (targets.Values.Length != n * c || trace.Predicted.Length != n * c)
            throw new ArgumentException(
                $"trace of session '{trace.SessionId}' has {n} times x {c} channels but {targets.Values.Length} true values and {trace.Predicted.Length} predictions",
                nameof(trace));
        for (int i = 0; i < n; i++)
            if (!double.IsFinite(targets.Times[i]) || i > 0 && targets.Times[i] < targets.Times[i - 1])
                throw new ArgumentException($"trace of session '{trace.SessionId}' has time {targets.Times[i]} at sample {i}: times must be finite and ascending", nameof(trace));
        var r2 = new R2Accumulator(c);
        try { r2.Add(targets.Values, trace.Predicted); }
        catch (ArgumentException e) { throw new ArgumentException($"trace of session '{trace.SessionId}': {e.Message}", nameof(trace), e); }
        var scores = r2.R2();

        double start = targets.Times[0], end = start + maxSeconds;
        int shown = 0;
        while (shown < n && targets.Times[shown] < end) shown++;
        double lastShown = targets.Times[shown - 1];
        double gap = 5 * MedianStep(targets.Times.AsSpan(0, shown));

        using var surface = SKSurface.Create(new SKImageInfo(TracesWidth, TracesHeaderHeight + c * TracesPanelHeight))
            ?? throw new InvalidOperationException("SkiaSharp could not create a drawing surface");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        DrawHeader(canvas, title);
        for (int k = 0; k < c; k++)
        {
            using var plot = PlotStyle.NewPlot($"{channels[k]}: R² {FormatR2(scores[k])}");
            plot.Axes.Title.Label.FontSize = PlotStyle.AxisLabelSize;
            double yMin = double.PositiveInfinity, yMax = double.NegativeInfinity;
            // Decoded first, so that the true trace stays visible on top of a noisy prediction.
            bool firstTrue = true, firstDecoded = true;
            foreach (var (from, to) in Runs(targets.Times, shown, gap, i => float.IsFinite(trace.Predicted[i * c + k])))
            {
                var line = AddRun(plot, targets.Times, trace.Predicted, from, to, c, k, DecodedColor, 1.5f, ref yMin, ref yMax);
                if (firstDecoded && k == 0) line.LegendText = "decoded";
                firstDecoded = false;
            }
            foreach (var (from, to) in Runs(targets.Times, shown, gap, i => float.IsFinite(targets.Values[i * c + k])))
            {
                var line = AddRun(plot, targets.Times, targets.Values, from, to, c, k, TrueColor, 1.8f, ref yMin, ref yMax);
                if (firstTrue && k == 0) line.LegendText = "true";
                firstTrue = false;
            }
            if (!double.IsFinite(yMin)) (yMin, yMax) = (0, 1); // nothing finite in the plotted stretch: an empty panel
            double pad = yMax > yMin ? 0.06 * (yMax - yMin) : Math.Max(0.05 * Math.Abs(yMax), 0.5);
            double xHigh = lastShown > start ? lastShown : start + 1;
            var (xTicks, xLabels) = LinearTicks(start, xHigh);
            plot.Axes.Bottom.SetTicks(xTicks, xLabels);
            var (yTicks, yLabels) = LinearTicks(yMin - pad, yMax + pad);
            plot.Axes.Left.SetTicks(yTicks, yLabels);
            foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left }) PlotStyle.UseFont(axis.TickLabelStyle);
            plot.Axes.SetLimits(start, xHigh, yMin - pad, yMax + pad);
            PlotStyle.AxisLabels(plot, k == c - 1 ? "session time (s)" : "", channels[k]);
            // Same left margin on every panel so that their time axes line up whatever the tick label widths.
            plot.Layout.Fixed(new PixelPadding(80, 20, k == c - 1 ? 50 : 28, 38)); // left, right, bottom, top
            if (k == 0)
            {
                plot.Legend.FontName = PlotFonts.Family;
                plot.Legend.FontSize = PlotStyle.LegendSize;
                plot.Legend.Alignment = Alignment.UpperRight;
                plot.Legend.ShadowColor = Colors.Transparent;
                plot.Legend.OutlineColor = Color.FromHex("#C8C8C8");
                plot.ShowLegend();
            }
            // Each panel is rendered on its own (ScottPlot clears the whole canvas it renders on) and pasted below the previous.
            using var panel = SKBitmap.Decode(plot.GetImageBytes(TracesWidth, TracesPanelHeight, ImageFormat.Png))
                ?? throw new InvalidOperationException("SkiaSharp could not read a rendered panel");
            canvas.DrawBitmap(panel, 0, TracesHeaderHeight + k * TracesPanelHeight);
        }
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.WriteAllBytes(path, png.ToArray());
    }

    private static void DrawHeader(SKCanvas canvas, string title)
    {
        PlotFonts.EnsureRegistered();
        var typeface = Fonts.GetTypeface(PlotFonts.Family, true, false); // the resolver's cached face: not ours to dispose
        using var font = new SKFont(typeface, PlotStyle.TitleSize);
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        float width = font.MeasureText(title);
        canvas.DrawText(title, Math.Max(8, (TracesWidth - width) / 2), TracesHeaderHeight - 14, SKTextAlign.Left, font, paint);
    }

    private static ScottPlot.Plottables.Scatter AddRun(Plot plot, double[] times, float[] values, int from, int to, int c, int k, Color color, float width,
        ref double yMin, ref double yMax)
    {
        var xs = new double[to - from];
        var ys = new double[to - from];
        for (int i = from; i < to; i++)
        {
            xs[i - from] = times[i];
            ys[i - from] = values[i * c + k];
            yMin = Math.Min(yMin, ys[i - from]);
            yMax = Math.Max(yMax, ys[i - from]);
        }
        var line = plot.Add.Scatter(xs, ys, color);
        line.LineWidth = width;
        line.MarkerSize = to - from == 1 ? 3 : 0; // a lone sample between gaps still shows as a dot
        return line;
    }

    // Maximal runs [from, to) of samples among the first `count` where `keep` holds and no step exceeds `gap` seconds.
    private static IEnumerable<(int From, int To)> Runs(double[] times, int count, double gap, Func<int, bool> keep)
    {
        int from = -1;
        for (int i = 0; i <= count; i++)
        {
            bool inside = i < count && keep(i) && (from < 0 || times[i] - times[i - 1] <= gap);
            if (inside && from < 0) { from = i; continue; }
            if (inside) continue;
            if (from >= 0) yield return (from, i);
            from = i < count && keep(i) ? i : -1;
        }
    }

    private static double MedianStep(ReadOnlySpan<double> times)
    {
        if (times.Length < 2) return double.PositiveInfinity;
        var steps = new double[times.Length - 1];
        for (int i = 1; i < times.Length; i++) steps[i - 1] = times[i] - times[i - 1];
        Array.Sort(steps);
        double median = steps[steps.Length / 2];
        return median > 0 ? median : double.PositiveInfinity;
    }

    private static string FormatR2(double r2) => double.IsNaN(r2) ? "n/a (constant or no truth)" : r2.ToString("F3", CultureInfo.InvariantCulture);
}
