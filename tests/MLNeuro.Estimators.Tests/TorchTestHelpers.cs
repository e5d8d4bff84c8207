using TorchSharp;
using static TorchSharp.torch;

namespace MLNeuro.Estimators.Tests;

internal static class TorchTestHelpers
{
    /// Bitwise-reproducible results need one intra-op thread; set_num_threads is process-wide, so every test that
    /// calls this agrees on the value and parallel test classes cannot disturb each other.
    public static void UseOneThread()
    {
        TorchRuntime.EnsureAvailable();
        torch.set_num_threads(1);
    }

    public static float[] Values(Tensor t) => t.contiguous().data<float>().ToArray();

    public static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        Assert.Equal(expected.shape, actual.shape);
        double maxDiff = (expected - actual).abs().max().item<float>();
        Assert.True(maxDiff <= tolerance, $"max |diff| {maxDiff} > {tolerance}");
    }

    public static void AssertSameWeights(nn.Module a, nn.Module b)
    {
        var sa = a.state_dict();
        var sb = b.state_dict();
        Assert.Equal(sa.Keys.OrderBy(k => k), sb.Keys.OrderBy(k => k));
        foreach (var key in sa.Keys)
            Assert.True(Values(sa[key]).SequenceEqual(Values(sb[key])), $"weights differ at {key}");
    }
}
