namespace MLNeuro.Transforms;

/// <summary>
/// Rejects feature options whose vector length differs from the fixed length an ML.NET step was compiled with, naming
/// the options that change it (so the user knows what to put back).
/// </summary>
internal static class NeuronFeatureFixedLength
{
    public static void Check(NeuronFeatureLayout layout, int expected)
    {
        if (layout.Length == expected) return;
        var reference = new NeuronFeatureLayout(new NeuronFeatureOptions());
        var changed = new List<string>();
        Compare(changed, "FanoWindowSeconds", layout.FanoWindows.Length, reference.FanoWindows.Length, "windows");
        Compare(changed, "IsiHistogramBins", layout.Options.IsiHistogramBins, reference.Options.IsiHistogramBins, "bins");
        Compare(changed, "NarrowAcgMaxLagSeconds / NarrowAcgBinSeconds", layout.NarrowBins, reference.NarrowBins, "bins");
        Compare(changed, "WideAcgMaxLagSeconds / WideAcgBinSeconds", layout.WideBins, reference.WideBins, "bins");
        Compare(changed, "LogAcgBins", layout.Options.LogAcgBins, reference.Options.LogAcgBins, "bins");
        throw new ArgumentException(
            $"ExtractNeuronFeatures produces a fixed-length vector of {expected} features (ML.NET saves no runtime vector size), " +
            $"but these options give {layout.Length}: {string.Join("; ", changed)}. Keep those counts, or use " +
            "NeuronFeatures.ComputeAll / NeuronFeatureTable for other layouts.", "options");
    }

    private static void Compare(List<string> changed, string option, int actual, int reference, string what)
    {
        if (actual != reference) changed.Add($"{option} gives {actual} {what} instead of {reference}");
    }
}
