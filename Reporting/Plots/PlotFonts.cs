using System.Reflection;
using ScottPlot;
using SkiaSharp;

namespace MLNeuro.Reporting;

/// <summary>
/// The one typeface every report plot uses: DejaVu Sans (regular and bold), embedded in this assembly and handed to
/// ScottPlot through an <see cref="IFontResolver"/>, so text renders the same on every machine and needs no installed
/// font (SkiaSharp's dependency-free Linux natives only scan <c>/usr/share/fonts</c>; with none there, text silently
/// disappears). See <c>Plots/Fonts/LICENSE-DejaVu.txt</c> for the subset and its licence.
/// </summary>
/// <example><code>
/// PlotFonts.EnsureRegistered();
/// var plot = new ScottPlot.Plot();
/// plot.Axes.Title.Label.FontName = PlotFonts.Family;
/// </code></example>
internal static class PlotFonts
{
    /// <summary>The family name the embedded font is registered under (distinct from any system "DejaVu Sans").</summary>
    public const string Family = "MLNeuro DejaVu Sans";

    private static readonly Lazy<Resolver> Registered = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Registers the embedded font with ScottPlot once per process and makes it ScottPlot's default font; later calls do nothing.</summary>
    public static void EnsureRegistered() => _ = Registered.Value;

    /// <summary>Width in pixels of <paramref name="text"/> set in the regular face at <paramref name="size"/> pixels.</summary>
    public static float MeasureWidth(string text, float size)
    {
        using var font = new SKFont(Registered.Value.Regular, size);
        return font.MeasureText(text);
    }

    private static Resolver Register()
    {
        var resolver = new Resolver(Load("DejaVuSans.ttf"), Load("DejaVuSans-Bold.ttf"));
        lock (Fonts.FontResolvers) Fonts.FontResolvers.Insert(0, resolver);
        // ScottPlot's process-wide default, so that text objects added later (cell labels, colour bars) use it too.
        Fonts.Default = Family;
        return resolver;
    }

    private static SKTypeface Load(string file)
    {
        var name = $"MLNeuro.Reporting.Plots.Fonts.{file}";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded font {name} is missing from {Assembly.GetExecutingAssembly().GetName().Name}");
        using var data = SKData.Create(stream);
        return SKTypeface.FromData(data)
            ?? throw new InvalidOperationException($"SkiaSharp could not read the embedded font {name}");
    }

    /// <summary>Answers only for <see cref="Family"/>; bold weights (semi-bold and heavier) get the bold face.</summary>
    private sealed class Resolver(SKTypeface regular, SKTypeface bold) : IFontResolver
    {
        public SKTypeface Regular => regular;

        public SKTypeface? CreateTypeface(string fontName, bool isBold, bool italic) =>
            fontName == Family ? (isBold ? bold : regular) : null;

        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
            CreateTypeface(fontName, weight >= FontWeight.SemiBold, slant != FontSlant.Upright);
    }
}
