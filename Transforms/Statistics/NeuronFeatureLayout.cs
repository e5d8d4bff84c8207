using System.Globalization;

namespace MLNeuro.Transforms;

/// <summary>
/// Where each feature sits in the vector and the bin edges behind it, derived once from validated options so the
/// per-unit code only indexes. Immutable, shared by all threads.
/// </summary>
internal sealed class NeuronFeatureLayout
{
    public const int Rate = 0, LogRate = 1, FewSpikes = 2, IsiCv = 3, IsiCv2 = 4, Lv = 5, BurstIndex = 6,
        BurstAcgIndex = 7, RefractoryMs = 8, Skewness = 9, Kurtosis = 10, Fano = 11;

    public NeuronFeatureLayout(NeuronFeatureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        FanoWindows = options.FanoWindowSeconds.ToArray();
        NarrowBins = NeuronFeatureOptions.Bins(options.NarrowAcgMaxLagSeconds, options.NarrowAcgBinSeconds);
        WideBins = NeuronFeatureOptions.Bins(options.WideAcgMaxLagSeconds, options.WideAcgBinSeconds);
        RefractoryBins = NeuronFeatureOptions.Bins(options.RefractoryMaxSeconds, options.RefractoryBinSeconds);
        IsiEdges = LogEdges(options.IsiHistogramMinSeconds, options.IsiHistogramMaxSeconds, options.IsiHistogramBins);
        LogAcgEdges = LogEdges(options.LogAcgMinLagSeconds, options.LogAcgMaxLagSeconds, options.LogAcgBins);
        IsiHistogram = Fano + FanoWindows.Length;
        NarrowAcg = IsiHistogram + options.IsiHistogramBins;
        WideAcg = NarrowAcg + NarrowBins;
        LogAcg = WideAcg + WideBins;
        Length = LogAcg + options.LogAcgBins;
        MaxLag = Math.Max(Math.Max(options.NarrowAcgMaxLagSeconds, options.WideAcgMaxLagSeconds),
            Math.Max(Math.Max(options.LogAcgMaxLagSeconds, options.BurstReferenceEndSeconds),
                Math.Max(options.RefractoryReferenceEndSeconds, options.BurstIsiSeconds)));
        Names = BuildNames();
    }

    public NeuronFeatureOptions Options { get; }
    public double[] FanoWindows { get; }
    public int NarrowBins { get; }
    public int WideBins { get; }
    public int RefractoryBins { get; }
    public double[] IsiEdges { get; }
    public double[] LogAcgEdges { get; }
    public int IsiHistogram { get; }
    public int NarrowAcg { get; }
    public int WideAcg { get; }
    public int LogAcg { get; }
    public int Length { get; }

    /// <summary>The largest lag any ACG-derived feature needs: the sliding window of the pair pass.</summary>
    public double MaxLag { get; }

    public string[] Names { get; }

    private static double[] LogEdges(double min, double max, int bins)
    {
        var edges = new double[bins + 1];
        double ratio = Math.Log(max / min);
        for (int k = 0; k <= bins; k++) edges[k] = min * Math.Exp(ratio * k / bins);
        edges[bins] = max; // exact end, whatever exp rounds to
        return edges;
    }

    private string[] BuildNames()
    {
        var c = CultureInfo.InvariantCulture;
        var names = new string[Length];
        names[Rate] = "rate_hz";
        names[LogRate] = "log10_rate_hz";
        names[FewSpikes] = "few_spikes";
        names[IsiCv] = "isi_cv";
        names[IsiCv2] = "isi_cv2";
        names[Lv] = "lv";
        names[BurstIndex] = "burst_index";
        names[BurstAcgIndex] = "burst_acg_index";
        names[RefractoryMs] = "refractory_ms";
        names[Skewness] = string.Create(c, $"skewness_{Ms(Options.MomentBinSeconds)}ms");
        names[Kurtosis] = string.Create(c, $"kurtosis_{Ms(Options.MomentBinSeconds)}ms");
        for (int i = 0; i < FanoWindows.Length; i++) names[Fano + i] = string.Create(c, $"fano_{Ms(FanoWindows[i])}ms");
        int digits = Options.IsiHistogramBins > 100 ? 4 : 2;
        for (int k = 0; k < Options.IsiHistogramBins; k++) names[IsiHistogram + k] = "isi_logbin_" + k.ToString("D" + digits, c);
        // Linear ACG bins are named by their lower edge in ms: acg_narrow_+012ms covers lags [12, 13) ms.
        for (int k = 0; k < NarrowBins; k++) names[NarrowAcg + k] = "acg_narrow_+" + Ms(k * Options.NarrowAcgBinSeconds, 3) + "ms";
        for (int k = 0; k < WideBins; k++) names[WideAcg + k] = "acg_wide_+" + Ms(k * Options.WideAcgBinSeconds, 4) + "ms";
        digits = Options.LogAcgBins > 100 ? 4 : 2;
        for (int k = 0; k < Options.LogAcgBins; k++) names[LogAcg + k] = "acg_log_" + k.ToString("D" + digits, c);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
            if (!seen.Add(name))
                throw new ArgumentOutOfRangeException(nameof(NeuronFeatureOptions.FanoWindowSeconds), $"two features would both be named '{name}': make the windows distinct to 0.1 ms");
        return names;
    }

    /// <summary>Milliseconds as a short invariant string: whole numbers padded to <paramref name="pad"/> digits, fractions kept ("0.5").</summary>
    private static string Ms(double seconds, int pad = 0)
    {
        double ms = Math.Round(seconds * 1000, 4);
        return ms == Math.Floor(ms)
            ? ((long)ms).ToString(new string('0', Math.Max(pad, 1)), CultureInfo.InvariantCulture)
            : ms.ToString("0.####", CultureInfo.InvariantCulture).PadLeft(pad, '0');
    }
}
