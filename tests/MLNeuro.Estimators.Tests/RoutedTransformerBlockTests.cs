using static MLNeuro.Estimators.Tests.TorchTestHelpers;
using static TorchSharp.torch;

namespace MLNeuro.Estimators.Tests;

public sealed class RoutedTransformerBlockTests
{
    private static RoutedTransformerBlock Block(double capacity, ulong seed = 2)
    {
        using var g = new Generator(seed);
        var rotary = new RotaryEmbedding(8, 4, 1e-3, 2);
        return new RoutedTransformerBlock(new TransformerBlock(16, 2, 8, 2, rotary, g, rotateValue: true), 16, capacity, g);
    }

    private static (Tensor X, Tensor Positions) Input(long seq = 16, ulong seed = 5)
    {
        using var g = new Generator(seed);
        return (randn(2, seq, 16, generator: g), arange(seq, ScalarType.Float64).unsqueeze(0).expand(2, -1) * 0.1);
    }

    [Fact]
    public void Only_the_top_k_tokens_change_and_the_rest_take_the_residual_path()
    {
        UseOneThread();
        using var block = Block(0.25);
        block.eval();
        var (x, p) = Input();
        using var y = block.forward(x, p, null);
        using var changed = (y - x).abs().amax(-1) > 0; // [2, 16]
        Assert.Equal(new long[] { 4, 4 }, Values(changed.sum(1).to(ScalarType.Float32)).Select(v => (long)v));
        Assert.Equal(4, block.Capacity(16));
    }

    [Fact]
    public void At_full_capacity_the_update_is_the_dense_block_scaled_by_the_router_weight()
    {
        UseOneThread();
        using var g = new Generator(2);
        var rotary = new RotaryEmbedding(8, 4, 1e-3, 2);
        var inner = new TransformerBlock(16, 2, 8, 2, rotary, g, rotateValue: true);
        using var block = new RoutedTransformerBlock(inner, 16, 1.0, g);
        block.eval();
        var (x, p) = Input();
        using var y = block.forward(x, p, null);
        var router = (TorchSharp.Modules.Linear)block.named_children().Single(c => c.name == "router").module;
        using var scale = router.forward(x).sigmoid();
        using var expected = x + scale * (inner.forward(x, p, null) - x);
        AssertClose(expected, y, 1e-5);
    }

    [Fact]
    public void Training_forward_gives_a_predictor_loss_and_gradients_reach_the_router()
    {
        UseOneThread();
        using var block = Block(0.25);
        block.train();
        var (x, p) = Input();
        using var y = block.forward(x, p, null);
        Assert.NotNull(block.PredictorLoss);
        using var loss = y.square().mean() + block.PredictorLoss!;
        loss.backward();
        var grads = block.named_parameters().ToDictionary(n => n.name, n => n.parameter.grad);
        Assert.True(grads["router.weight"]!.abs().sum().item<float>() > 0);
        Assert.True(grads["predictor.weight"]!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Causal_routing_decides_each_token_from_that_token_alone()
    {
        UseOneThread();
        using var block = Block(0.25);
        block.eval();
        block.UseCausalRouting = true;
        var (x, p) = Input();
        using var one = x.narrow(0, 0, 1).clone();
        using var p1 = p.narrow(0, 0, 1);
        using var y = block.forward(one, p1, null);
        using var routedBefore = (y - one).abs().amax(-1) > 0;
        // Change only the last token: the routing of the others must not move.
        using var edited = one.clone();
        using (no_grad()) edited[0, 15] = edited[0, 15] * -3 + 1;
        using var y2 = block.forward(edited, p1, null);
        using var routedAfter = (y2 - edited).abs().amax(-1) > 0;
        Assert.Equal(Values(routedBefore.narrow(1, 0, 15).to(ScalarType.Float32)), Values(routedAfter.narrow(1, 0, 15).to(ScalarType.Float32)));
        Assert.Throws<InvalidOperationException>(() => block.forward(x, p, null));
    }
}
