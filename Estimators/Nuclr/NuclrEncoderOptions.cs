namespace MLNeuro.Estimators;

/// <summary>
/// Shape of the NuCLR neuron encoder (docs/design.md, 'NuCLR'). The defaults are the paper's: 20 ms bins, 10 s windows cut
/// into 10 patches of 50 bins, width 256, 4 heads of 64, 2 temporal blocks then 2 spatio-temporal blocks, GEGLU FFN x4;
/// and the reference code's block details (nerdslab/nuclr, models/nuclr_v2ga_bin.py): raw counts in, dropout 0.2,
/// rotary on half of each head's dims with values rotated, q/k/v bias, no final LayerNorm. <see cref="Legacy"/> gives
/// MLNeuro's earlier choices for each of those (artifacts written before these options existed read back with them).
/// </summary>
/// <example>
/// <code>
/// var options = new NuclrEncoderOptions { Dim = 128, Heads = 2 };
/// options.Validate();
/// </code>
/// </example>
public sealed record NuclrEncoderOptions
{
    /// <summary>Model width d (the embedding size). Default 256.</summary>
    public int Dim { get; init; } = 256;

    /// <summary>Attention heads. Default 4.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Dimensions per head (even: rotary position turns pairs of them). Default 64.</summary>
    public int HeadDim { get; init; } = 64;

    /// <summary>Patches per window (the temporal sequence length). Default 10.</summary>
    public int PatchCount { get; init; } = 10;

    /// <summary>Bins per patch (the input size of the patch projection). Default 50 (1 s of 20 ms bins).</summary>
    public int BinsPerPatch { get; init; } = 50;

    /// <summary>Bin width in seconds. Default 0.02.</summary>
    public double BinSeconds { get; init; } = 0.02;

    /// <summary>Temporal-only blocks at the bottom of the stack (each unit alone, attention over its patches). Default 2.</summary>
    public int TemporalBlocks { get; init; } = 2;

    /// <summary>Spatio-temporal pairs after them: spatial attention across units within a patch, then temporal attention. Default 2.</summary>
    public int SpatioTemporalBlocks { get; init; } = 2;

    /// <summary>GEGLU hidden width as a multiple of <see cref="Dim"/>. Default 4.</summary>
    public int FfnMultiplier { get; init; } = 4;

    /// <summary>
    /// How counts enter the patch projection. Default <see cref="NuclrInput.Counts"/> (the reference: raw counts);
    /// <see cref="NuclrInput.Log1p"/> compresses the three decades of firing rates first (MLNeuro's earlier default).
    /// </summary>
    public NuclrInput Input { get; init; } = NuclrInput.Counts;

    /// <summary>
    /// Dropout probability on every residual branch and after the FFN's gate, in training only. Default 0.2 (the
    /// reference; its ablation calls it critical for zero-shot transfer); 0 turns it off.
    /// </summary>
    public double Dropout { get; init; } = 0.2;

    /// <summary>
    /// True (the default, as the reference): rotary position turns half of each head's dims, with periods log-spaced
    /// from 1 to 8 x <see cref="PatchCount"/> patches; values are rotated too and the attention output rotated back
    /// (<see cref="RotateValues"/>). False: every head dim turns, periods from 2 to 4 x PatchCount (MLNeuro's earlier choice).
    /// </summary>
    public bool RotateHalf { get; init; } = true;

    /// <summary>Rotate values in temporal attention and the output back by the query's position. Default true (the reference).</summary>
    public bool RotateValues { get; init; } = true;

    /// <summary>A bias on the fused q/k/v projection. Default true (the reference).</summary>
    public bool QkvBias { get; init; } = true;

    /// <summary>A LayerNorm on the final states before the mean over patches. Default false (the reference has none).</summary>
    public bool FinalNorm { get; init; }

    /// <summary>Window length in seconds: <see cref="PatchCount"/> x <see cref="BinsPerPatch"/> x <see cref="BinSeconds"/>.</summary>
    public double WindowSeconds => PatchCount * BinsPerPatch * BinSeconds;

    /// <summary>A small configuration for tests and quick CPU runs: d 32, 2 heads of 16, 4 patches of 10 bins; the paper's block stack and FFN multiplier.</summary>
    public static NuclrEncoderOptions Tiny { get; } = new()
    {
        Dim = 32,
        Heads = 2,
        HeadDim = 16,
        PatchCount = 4,
        BinsPerPatch = 10,
    };

    /// <summary>
    /// MLNeuro's block details before the reference's were adopted: log1p input, no dropout, rotary on every head dim with
    /// values unrotated, no q/k/v bias, a final LayerNorm. Apply with <c>options with { ... }</c> via <see cref="WithLegacyBlocks"/>.
    /// </summary>
    public static NuclrEncoderOptions Legacy { get; } = new NuclrEncoderOptions().WithLegacyBlocks();

    /// <summary>This shape with MLNeuro's earlier block details (see <see cref="Legacy"/>); the geometry is unchanged.</summary>
    public NuclrEncoderOptions WithLegacyBlocks() => this with
    {
        Input = NuclrInput.Log1p,
        Dropout = 0,
        RotateHalf = false,
        RotateValues = false,
        QkvBias = false,
        FinalNorm = true,
    };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    /// <returns>This instance, for chaining.</returns>
    public NuclrEncoderOptions Validate()
    {
        Positive(Dim, nameof(Dim));
        Positive(Heads, nameof(Heads));
        Positive(HeadDim, nameof(HeadDim));
        if (HeadDim % 2 != 0) throw new ArgumentOutOfRangeException(nameof(HeadDim), HeadDim, "must be even (rotary position turns pairs of dims)");
        Positive(PatchCount, nameof(PatchCount));
        Positive(BinsPerPatch, nameof(BinsPerPatch));
        if (!(BinSeconds > 0) || double.IsInfinity(BinSeconds)) throw new ArgumentOutOfRangeException(nameof(BinSeconds), BinSeconds, "must be positive and finite");
        if (TemporalBlocks < 0) throw new ArgumentOutOfRangeException(nameof(TemporalBlocks), TemporalBlocks, "must not be negative");
        if (SpatioTemporalBlocks < 0) throw new ArgumentOutOfRangeException(nameof(SpatioTemporalBlocks), SpatioTemporalBlocks, "must not be negative");
        if (TemporalBlocks + SpatioTemporalBlocks == 0) throw new ArgumentOutOfRangeException(nameof(TemporalBlocks), 0, "TemporalBlocks + SpatioTemporalBlocks must be at least 1");
        Positive(FfnMultiplier, nameof(FfnMultiplier));
        if (!Enum.IsDefined(Input)) throw new ArgumentOutOfRangeException(nameof(Input), Input, "unknown input transform");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "must lie in [0, 1)");
        if (RotateHalf && HeadDim % 4 != 0) throw new ArgumentOutOfRangeException(nameof(HeadDim), HeadDim, "must be a multiple of 4 when RotateHalf (half of it turns in pairs)");
        return this;
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, "must be positive");
    }
}
