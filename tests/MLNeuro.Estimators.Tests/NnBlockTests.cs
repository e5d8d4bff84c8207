using static TorchSharp.torch;
using static MLNeuro.Estimators.Tests.TorchTestHelpers;

namespace MLNeuro.Estimators.Tests;

public sealed class NnBlockTests
{
    private const int Dim = 16, Heads = 2, HeadDim = 8;

    private static TransformerBlock Block(RotaryEmbedding? rotary, ulong seed = 1)
    {
        using var generator = new Generator(seed);
        var block = new TransformerBlock(Dim, Heads, HeadDim, ffnMult: 2, rotary, generator);
        block.eval();
        return block;
    }

    private static Tensor Positions(long batch, long seq, double offset = 0) =>
        (arange(seq, dtype: ScalarType.Float32) * 0.25 + offset).unsqueeze(0).expand(batch, seq).contiguous();

    [Fact]
    public void Blocks_keep_or_map_shapes()
    {
        UseOneThread();
        using var scope = NewDisposeScope();
        using var g = new Generator(3);
        var x = randn(new long[] { 2, 5, Dim }, generator: g);
        using var block = Block(new RotaryEmbedding(HeadDim, HeadDim / 2, 0.01, 2.0));
        Assert.Equal(new long[] { 2, 5, Dim }, block.forward(x, Positions(2, 5), null).shape);
        using var ffn = new GegluFeedForward(Dim, 4, g);
        Assert.Equal(new long[] { 2, 5, Dim }, ffn.forward(x).shape);
        using var head = new ProjectorHead(Dim, 32, 8, l2Normalize: true, g);
        var z = head.forward(x);
        Assert.Equal(new long[] { 2, 5, 8 }, z.shape);
        AssertClose(ones(2, 5), z.norm(-1), 1e-5);
    }

    [Fact]
    public void Padded_tokens_change_nothing_in_the_real_tokens()
    {
        UseOneThread();
        using var scope = NewDisposeScope();
        using var g = new Generator(4);
        var real = randn(new long[] { 1, 4, Dim }, generator: g);
        var junk = randn(new long[] { 1, 2, Dim }, generator: g) * 10;
        var padded = cat(new[] { real, junk }, 1);
        var mask = tensor(new[] { false, false, false, false, true, true }).view(1, 6);
        using var block = Block(new RotaryEmbedding(HeadDim, HeadDim, 0.5, 10));

        var alone = block.forward(real, Positions(1, 4), null);
        var withPadding = block.forward(padded, Positions(1, 6), mask).narrow(1, 0, 4);
        AssertClose(alone, withPadding, 1e-5);

        // Control: without the mask the junk tokens do leak in, so the check above is not vacuous.
        var unmasked = block.forward(padded, Positions(1, 6), null).narrow(1, 0, 4);
        Assert.True((alone - unmasked).abs().max().item<float>() > 1e-3);
    }

    [Fact]
    public void Without_rotary_permuting_tokens_permutes_outputs()
    {
        UseOneThread();
        using var scope = NewDisposeScope();
        using var g = new Generator(5);
        var x = randn(new long[] { 2, 6, Dim }, generator: g);
        var permutation = tensor(new long[] { 3, 0, 5, 1, 4, 2 });
        using var block = Block(rotary: null);
        var outputs = block.forward(x, null, null);
        var permutedOutputs = block.forward(x.index_select(1, permutation), null, null);
        AssertClose(outputs.index_select(1, permutation), permutedOutputs, 1e-5);
    }

    [Theory]
    [InlineData(HeadDim)]
    [InlineData(HeadDim / 2)]
    public void Rotary_attention_depends_only_on_relative_position(int rotaryDim)
    {
        UseOneThread();
        using var scope = NewDisposeScope();
        using var g = new Generator(6);
        var x = randn(new long[] { 2, 5, Dim }, generator: g);
        using var block = Block(new RotaryEmbedding(HeadDim, rotaryDim, 0.1, 4.0));
        var atOrigin = block.forward(x, Positions(2, 5), null);
        var shifted = block.forward(x, Positions(2, 5, offset: 37.3), null);
        AssertClose(atOrigin, shifted, 1e-4);

        // Control: changing relative positions does change the output.
        var stretched = block.forward(x, Positions(2, 5) * 3, null);
        Assert.True((atOrigin - stretched).abs().max().item<float>() > 1e-3);
    }

    [Fact]
    public void Rotary_periods_are_log_spaced_between_min_and_max()
    {
        var rotary = new RotaryEmbedding(headDim: 8, rotaryDim: 8, minPeriod: 1e-4, maxPeriod: 2.0);
        var periods = rotary.AngularFrequencies.Select(w => 2 * Math.PI / w).ToArray();
        Assert.Equal(4, periods.Length);
        Assert.Equal(1e-4, periods[0], 1e-12);
        Assert.Equal(2.0, periods[^1], 1e-9);
        double ratio = periods[1] / periods[0];
        Assert.Equal(ratio, periods[2] / periods[1], 1e-9);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RotaryEmbedding(8, 10, 1, 2));
    }

    [Fact]
    public void Same_seed_gives_identical_initial_weights()
    {
        UseOneThread();
        using var a = Block(null, seed: 9);
        using var b = Block(null, seed: 9);
        using var c = Block(null, seed: 10);
        AssertSameWeights(a, b);
        Assert.False(Values(a.state_dict()["attn.to_qkv.weight"]).SequenceEqual(Values(c.state_dict()["attn.to_qkv.weight"])));
    }
}
