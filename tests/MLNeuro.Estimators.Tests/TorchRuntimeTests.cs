using TorchSharp;

namespace MLNeuro.Estimators.Tests;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void Torch_loads_and_computes_on_this_machine()
    {
        // CI runs eng/install-prereqs.sh first: this test proves the prerequisite works on a clean machine.
        TorchRuntime.EnsureAvailable();
        using var scope = torch.NewDisposeScope();
        var generator = new torch.Generator(42);
        var a = torch.rand(new long[] { 3, 4 }, generator: generator);
        var b = torch.ones(4, 2);
        var c = a.matmul(b);
        Assert.Equal(new long[] { 3, 2 }, c.shape);
        var rowSums = a.sum(1);
        for (int i = 0; i < 3; i++)
            Assert.Equal(rowSums[i].item<float>(), c[i, 0].item<float>(), 5);
    }

    [Fact]
    public void Loading_torch_sets_a_passive_OpenMP_wait_policy_unless_the_user_chose_one()
    {
        // The policy a user exported (e.g. OMP_WAIT_POLICY=ACTIVE for a benchmark) wins; otherwise PASSIVE is in the
        // C environment that libtorch's OpenMP read when it loaded.
        string? chosen = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY");
        TorchRuntime.EnsureAvailable();
        Assert.Equal(chosen ?? TorchRuntime.OpenMpWaitPolicy, NativeEnvironment.Get("OMP_WAIT_POLICY"));
        Assert.Equal("kept", NativeEnvironment.SetIfUnset("MLNEURO_TEST_SETENV", "kept"));
        Assert.Equal("kept", NativeEnvironment.SetIfUnset("MLNEURO_TEST_SETENV", "replaced"));
    }

    [Fact]
    public void Seeded_generators_give_identical_tensors()
    {
        TorchRuntime.EnsureAvailable();
        using var x = torch.randn(5, generator: new torch.Generator(7));
        using var y = torch.randn(5, generator: new torch.Generator(7));
        Assert.Equal(x.data<float>().ToArray(), y.data<float>().ToArray());
    }

    [Fact]
    public void Old_libstdcxx_gives_one_line_naming_the_script()
    {
        var fake = Path.GetTempFileName();
        try
        {
            File.WriteAllText(fake, "GLIBCXX_3.4.29\0GLIBCXX_3.4.30\0");
            var e = TorchRuntime.CheckLibStdCxx(fake);
            Assert.NotNull(e);
            Assert.Contains("eng/install-prereqs.sh", e!.Message);
            Assert.Contains("GLIBCXX_3.4.32", e.Message);
            Assert.DoesNotContain("\n", e.Message);
            File.WriteAllText(fake, "GLIBCXX_3.4.32");
            Assert.Null(TorchRuntime.CheckLibStdCxx(fake));
        }
        finally
        {
            File.Delete(fake);
        }
    }
}
