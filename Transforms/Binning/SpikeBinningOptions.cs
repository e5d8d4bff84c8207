namespace MLNeuro.Transforms;

/// <summary>Options of <see cref="SpikeBinningEstimator"/> (<c>mlContext.Transforms.BinSpikes</c>).</summary>
public sealed class SpikeBinningOptions
{
    /// <summary>Default bin width: 20 ms, as NuCLR and MtM use.</summary>
    public const double DefaultBinSeconds = 0.02;

    /// <summary>Bin width in seconds (default 0.02). A window of length L gets floor(L / width) bins (a trailing partial bin is dropped).</summary>
    public double BinSeconds { get; set; } = DefaultBinSeconds;

    /// <summary>
    /// Bins per patch for NuCLR's units x patches x bins-per-patch layout (e.g. 50 bins of 20 ms = 1 s patches), or 0
    /// for none. The memory layout is the same row-major units x bins array; this only checks that every window divides
    /// into whole patches and reports <c>{output}_patch_count</c>.
    /// </summary>
    public int BinsPerPatch { get; set; }

    internal void Validate()
    {
        if (!(BinSeconds > 0) || !double.IsFinite(BinSeconds))
            throw new ArgumentOutOfRangeException(nameof(BinSeconds), BinSeconds, "bin width must be a positive number of seconds");
        if (BinsPerPatch < 0) throw new ArgumentOutOfRangeException(nameof(BinsPerPatch), BinsPerPatch, "bins per patch must be 0 (no patches) or positive");
    }
}
