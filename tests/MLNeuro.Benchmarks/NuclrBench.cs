using MLNeuro.Estimators;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Synthetic;
using static TorchSharp.torch;

namespace MLNeuro.Benchmarks;

/// <summary>
/// What the NuCLR benchmarks share: the paper configuration exactly as <c>mlneuro pretrain nuclr --config paper</c>
/// builds it, synthetic recordings, and an untrained paper-config artifact (weights, then the encoder's ONNX export).
/// Speed and memory do not depend on the weights' values, so an untrained model measures the same as a trained one.
/// </summary>
internal static class NuclrBench
{
    /// <summary>The paper configuration (d 256, 10 patches x 50 bins of 20 ms, 4 heads x 64, projector 128, DCL) with the given batch.</summary>
    public static NuclrModelOptions PaperOptions(int batchSize = 8, int views = 2)
    {
        var encoder = new NuclrEncoderOptions();
        return new NuclrModelOptions
        {
            Encoder = encoder,
            Sampling = new NuclrSamplingOptions
            {
                WindowSeconds = encoder.WindowSeconds,
                PatchCount = encoder.PatchCount,
                BinSeconds = encoder.BinSeconds,
                MaxOffsetSeconds = 30,
                Views = views,
                BatchSize = batchSize,
            },
            Objective = new ObjectiveOptions { Kind = ObjectiveKind.Dcl },
            ProjectorDim = 128,
        };
    }

    /// <summary>One synthetic session (subject 0, session 0) of <paramref name="units"/> units, generated in memory.</summary>
    public static Recording Session(int units, double seconds, int seed = 2026) =>
        SyntheticDataset.GenerateSession(new SyntheticOptions { Subjects = 1, SessionsPerSubject = 1, UnitsPerSession = units, DurationSeconds = seconds, Seed = seed }, 0, 0);

    /// <summary>
    /// An untrained paper-config artifact laid out as pretraining writes one (encoder keys at the top level, the
    /// projector under <c>projector.</c>, the encoder's ONNX graph).
    /// </summary>
    public static ModelArtifact UntrainedPaperArtifact(int seed = 1)
    {
        TorchRuntime.EnsureAvailable();
        var options = PaperOptions();
        using var generator = new Generator((ulong)seed);
        using var model = new NuclrPretrainingModel(options, generator);
        model.eval();
        var manifest = new ModelManifest(NuclrModelOptions.ModelKind, options.ToJson(), ModelProvenance.Now(seed: seed));
        return ModelArtifact.FromModule(model, manifest, model.Encoder.ExportOnnx());
    }

    /// <summary>Parses "1,2" into thread counts.</summary>
    public static int[] ParseList(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
}

/// <summary>
/// Analytic FLOP count of a NuCLR training step, matrix products only (the convention of "model FLOPs": LayerNorm,
/// GELU, softmax, rotary, masking and the optimizer are left out; they are O(tokens x d) against O(tokens x d^2)).
/// </summary>
/// <remarks>
/// <para>Notation: B samples, V views, U unit slots (padded: the encoder computes every slot, kept or dropped), P
/// patches, b bins per patch, d width, i = heads x headDim (attention inner width), F = FfnMultiplier x d (GEGLU
/// hidden), L = TemporalBlocks + 2 x SpatioTemporalBlocks transformer blocks, c = ProjectorDim, h = max(d, c).
/// Rows R = B x V (each view is encoded as its own recording), tokens T = R x U x P.</para>
/// <para>Forward, with a matrix product [m x k] @ [k x n] counted as 2mkn:</para>
/// <code>
/// patch embedding   2 T b d
/// per block         2 T (d 3i + i d + d 2F + F d)          (qkv, out, GEGLU in, GEGLU out)
///                 + 4 T S i                                 (QK^T and AV; S = P in temporal blocks, U in spatial)
/// projector         2 R U (d h + h c)
/// DCL               2 B V^2 U^2 c                           (per view v: the self matrix and V-1 cross matrices)
/// </code>
/// <para>Backward: every product costs two more of the same size (gradient of each operand), except the patch
/// embedding, whose input (the counts) needs no gradient: one more. Step = 3 x forward - patch embedding.</para>
/// <para>Cross-check: the blocks' dense products are 2 x (their weight count) x T forward, so 6 x params x T for the
/// step, the usual rule; <see cref="BlockWeights"/> is that weight count and the benchmark compares it with the
/// model's real parameter count.</para>
/// </remarks>
internal static class NuclrFlops
{
    /// <summary>Weights of the blocks' matrices: L (d 3i + i d + d 2F + F d).</summary>
    public static long BlockWeights(NuclrEncoderOptions o)
    {
        long d = o.Dim, i = (long)o.Heads * o.HeadDim, f = (long)o.FfnMultiplier * o.Dim;
        return Blocks(o) * (d * 3 * i + i * d + d * 2 * f + f * d);
    }

    public static int Blocks(NuclrEncoderOptions o) => o.TemporalBlocks + 2 * o.SpatioTemporalBlocks;

    /// <summary>Forward FLOPs of the encoder on <paramref name="rows"/> recordings of <paramref name="units"/> units.</summary>
    public static double EncoderForward(NuclrEncoderOptions o, long rows, long units)
    {
        double t = (double)rows * units * o.PatchCount;
        double i = (double)o.Heads * o.HeadDim;
        double dense = 2.0 * t * BlockWeights(o);
        double attention = 4.0 * t * i * ((o.TemporalBlocks + o.SpatioTemporalBlocks) * (double)o.PatchCount + o.SpatioTemporalBlocks * (double)units);
        return PatchEmbedding(o, t) + dense + attention;
    }

    /// <summary>Forward FLOPs of the projector and the DCL similarity products.</summary>
    public static double HeadForward(NuclrModelOptions options, long batch, long views, long units)
    {
        double d = options.Encoder.Dim, c = options.ProjectorDim, h = Math.Max(d, c);
        double projector = 2.0 * batch * views * units * (d * h + h * c);
        double dcl = 2.0 * batch * views * views * units * units * c;
        return projector + dcl;
    }

    /// <summary>FLOPs of one training step (forward, backward; optimizer excluded) on a [batch, views, units] batch.</summary>
    public static double TrainingStep(NuclrModelOptions options, long batch, long views, long units)
    {
        double forward = EncoderForward(options.Encoder, batch * views, units) + HeadForward(options, batch, views, units);
        double t = (double)batch * views * units * options.Encoder.PatchCount;
        return 3 * forward - PatchEmbedding(options.Encoder, t);
    }

    private static double PatchEmbedding(NuclrEncoderOptions o, double tokens) => 2.0 * tokens * o.BinsPerPatch * o.Dim;
}
