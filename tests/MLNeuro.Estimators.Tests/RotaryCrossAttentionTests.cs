using static TorchSharp.torch;
using static MLNeuro.Estimators.Tests.TorchTestHelpers;

namespace MLNeuro.Estimators.Tests;

/// <summary>
/// POYO's rotary cross-attention and encoder block in TorchSharp: shapes, masking, set semantics over the context,
/// relative-time invariance, a hand-computed case and seeded init. ONNX parity lives in
/// <see cref="RotaryCrossAttentionOnnxTests"/>.
/// </summary>
public sealed class RotaryCrossAttentionTests
{
    private const int Dim = 16, ContextDim = 12, Heads = 2, HeadDim = 8;

    // POYO's rotation: half of each head's dims, periods log-spaced 1e-4 s .. 2.0627 s (torch_brain's defaults).
    internal static RotaryEmbedding PoyoRotary() => new(HeadDim, HeadDim / 2, 1e-4, 2.0627);

    internal static CrossAttentionBlock Block(bool rotateValue = true, ulong seed = 1)
    {
        using var generator = new Generator(seed);
        var block = new CrossAttentionBlock(Dim, ContextDim, Heads, HeadDim, ffnMult: 2, PoyoRotary(), rotateValue, generator);
        block.eval();
        return block;
    }

    // Latents, spike tokens and their times (float64 seconds in [0, 1), as in a 1 s POYO window).
    internal static (Tensor Q, Tensor C, Tensor Tq, Tensor Tk) Inputs(long batch, long nq, long nk, ulong seed)
    {
        using var g = new Generator(seed);
        return (randn(new long[] { batch, nq, Dim }, generator: g), randn(new long[] { batch, nk, ContextDim }, generator: g),
            rand(new long[] { batch, nq }, dtype: ScalarType.Float64, generator: g),
            rand(new long[] { batch, nk }, dtype: ScalarType.Float64, generator: g));
    }

    [Fact]
    public void Outputs_have_the_query_shape()
    {
        UseOneThread();
        using var scope = NewDisposeScope();
        var (q, c, tq, tk) = Inputs(2, 3, 7, seed: 1);
        using var block = Block();
        Assert.Equal(new long[] { 2, 3, Dim }, block.forward(q, c, tq, tk, null).shape);
        using var g = new Generator(2);
        using var attn = new RotaryCrossAttention(Dim, ContextDim, Heads, HeadDim, PoyoRotary(), rotateValue: false, g);
        Assert.Equal(new long[] { 2, 3, Dim }, attn.forward(q, c, tq, tk, zeros(new long[] { 2, 7 }, ScalarType.Bool)).shape);
        Assert.Throws<ArgumentException>(() => new RotaryCrossAttention(Dim, ContextDim, Heads, 4, PoyoRotary(), true, g));
    }

    [Fact]
    public void Padded_context_tokens_change_nothing()
    {
        UseOneThread();
        using var scope = NewDisposeScope();
        var (q, c, tq, tk) = Inputs(1, 4, 5, seed: 3);
        var (_, junk, _, junkTimes) = Inputs(1, 1, 3, seed: 4);
        using var block = Block();
        var alone = block.forward(q, c, tq, tk, null);
        var paddedContext = cat(new[] { c, junk * 10 }, 1);
        var paddedTimes = cat(new[] { tk, junkTimes }, 1);
        var mask = tensor(new[] { false, false, false, false, false, true, true, true }).view(1, 8);
        AssertClose(alone, block.forward(q, paddedContext, tq, paddedTimes, mask), 1e-5);

        // Control: without the mask the junk leaks in, so the check above is not vacuous.
        var unmasked = block.forward(q, paddedContext, tq, paddedTimes, null);
        Assert.True((alone - unmasked).abs().max().item<float>() > 1e-3);
    }

    [Fact]
    public void Permuting_context_tokens_with_their_times_leaves_the_output_unchanged()
    {
        UseOneThread();
        using var scope = NewDisposeScope();
        var (q, c, tq, tk) = Inputs(2, 3, 6, seed: 5);
        var mask = tensor(new[] { false, false, false, false, true, false, false, false, false, false, false, true }).view(2, 6);
        var permutation = tensor(new long[] { 3, 0, 5, 1, 4, 2 });
        using var block = Block();
        var original = block.forward(q, c, tq, tk, mask);
        var permuted = block.forward(q, c.index_select(1, permutation), tq, tk.index_select(1, permutation), mask.index_select(1, permutation));
        AssertClose(original, permuted, 1e-5);
    }

    [Theory]
    [InlineData(true, ScalarType.Float64)]
    [InlineData(false, ScalarType.Float64)]
    [InlineData(true, ScalarType.Float32)]
    public void Shifting_every_timestamp_leaves_the_output_unchanged(bool rotateValue, ScalarType timeType)
    {
        UseOneThread();
        using var scope = NewDisposeScope();
        var (q, c, tq, tk) = Inputs(2, 4, 9, seed: 6);
        // float64 keeps a 1000 s shift exact to ~1e-13 s. float32 cannot (its step at 1000 s is 6e-5 s, half the
        // shortest period), so there times sit on a 1/1024 s grid and the shift is 4 s: every sum is exact.
        double shift = 1000.25;
        if (timeType == ScalarType.Float32)
        {
            (tq, tk) = (((tq * 1024).floor() / 1024).to(timeType), ((tk * 1024).floor() / 1024).to(timeType));
            shift = 4;
        }
        using var block = Block(rotateValue);
        var atOrigin = block.forward(q, c, tq, tk, null);
        AssertClose(atOrigin, block.forward(q, c, tq + shift, tk + shift, null), 1e-4);

        // Control: moving only the keys (changing relative time) does change the output.
        var moved = block.forward(q, c, tq, tk + 0.3, null);
        Assert.True((atOrigin - moved).abs().max().item<float>() > 1e-3);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void One_head_one_key_gives_the_rotated_value_path(bool rotateValue)
    {
        // With one key, softmax gives it weight 1, so the output is to_out(R(t_key - t_query) v) (R = identity without
        // value rotation), v = W_v LayerNorm(context). One rotary pair with period 1 s and t_key - t_query = 0.25 s
        // turns (v0, v1) by +90 degrees into (-v1, v0); v2, v3 are not rotated.
        UseOneThread();
        using var scope = NewDisposeScope();
        using var g = new Generator(7);
        var rotary = new RotaryEmbedding(headDim: 4, rotaryDim: 2, minPeriod: 1.0, maxPeriod: 1.0);
        using var attn = new RotaryCrossAttention(dim: 4, contextDim: 3, heads: 1, headDim: 4, rotary, rotateValue, g);
        var context = new double[] { 0.5, -1.0, 2.0 };
        var output = attn.forward(randn(new long[] { 1, 1, 4 }, generator: g), tensor(context.Select(x => (float)x).ToArray()).view(1, 1, 3),
            tensor(new[] { 0.5 }).view(1, 1), tensor(new[] { 0.75 }).view(1, 1), null);

        var sd = attn.state_dict();
        var wv = Values(sd["to_kv.weight"]).Skip(4 * 3).ToArray(); // rows 4..7 of [8, 3]: the value half
        var wo = Values(sd["to_out.weight"]);
        var bo = Values(sd["to_out.bias"]);
        double mean = context.Average(), sd2 = context.Select(x => (x - mean) * (x - mean)).Average();
        var normed = context.Select(x => (x - mean) / Math.Sqrt(sd2 + 1e-5)).ToArray(); // default affine: 1, 0
        var v = Enumerable.Range(0, 4).Select(r => Enumerable.Range(0, 3).Sum(i => wv[r * 3 + i] * normed[i])).ToArray();
        if (rotateValue) (v[0], v[1]) = (-v[1], v[0]);
        var expected = Enumerable.Range(0, 4).Select(o => (float)(bo[o] + Enumerable.Range(0, 4).Sum(i => wo[o * 4 + i] * v[i]))).ToArray();
        AssertClose(tensor(expected).view(1, 1, 4), output, 1e-5);
    }

    [Fact]
    public void Same_seed_gives_identical_initial_weights()
    {
        UseOneThread();
        using var a = Block(seed: 9);
        using var b = Block(seed: 9);
        using var c = Block(seed: 10);
        AssertSameWeights(a, b);
        Assert.Contains("attn.norm_context.weight", a.state_dict().Keys);
        Assert.False(Values(a.state_dict()["attn.to_kv.weight"]).SequenceEqual(Values(c.state_dict()["attn.to_kv.weight"])));
    }
}
