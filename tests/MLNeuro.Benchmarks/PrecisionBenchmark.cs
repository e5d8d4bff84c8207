using System.Diagnostics;
using System.Globalization;
using static TorchSharp.torch;

namespace MLNeuro.Benchmarks;

/// <summary>
/// Console mode <c>precision</c>: what bfloat16 buys on this CPU. TorchSharp 0.107 has no autocast, so a bf16 path
/// would cast weights and activations itself; this measures whether that is worth building: the square matmul rate and
/// a transformer feed-forward layer's forward + backward at float32 and bfloat16, at 1 and 2 intra-op threads, and the
/// relative error bf16 gives on that layer's output and gradients.
/// <code>dotnet run -c Release --project tests/MLNeuro.Benchmarks -- precision [--reps 5]</code>
/// </summary>
internal static class PrecisionBenchmark
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        int reps = args.SkipWhile(a => a != "--reps").Skip(1).Select(int.Parse).FirstOrDefault(5);
        MLNeuro.Estimators.TorchRuntime.EnsureAvailable();
        Console.WriteLine($"OMP_WAIT_POLICY={Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "(unset: MLNeuro sets PASSIVE)"}");
        Console.WriteLine("| threads | what | float32 GFLOP/s | bfloat16 GFLOP/s | bf16 / f32 |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (int threads in new[] { 1, 2 })
        {
            set_num_threads(threads);
            foreach (int n in new[] { 1024, 2048 })
            {
                double f32 = Matmul(n, ScalarType.Float32, reps), bf16 = Matmul(n, ScalarType.BFloat16, reps);
                Console.WriteLine(string.Create(C, $"| {threads} | matmul {n}^3 | {f32:F1} | {bf16:F1} | {bf16 / f32:F2} |"));
            }
            double lf32 = FeedForward(ScalarType.Float32, reps), lbf16 = FeedForward(ScalarType.BFloat16, reps);
            Console.WriteLine(string.Create(C, $"| {threads} | feed-forward 10,240 x 256 -> 1,024 -> 256, fwd+bwd | {lf32:F1} | {lbf16:F1} | {lbf16 / lf32:F2} |"));
        }
        var (output, gradient) = Bf16Error();
        Console.WriteLine(string.Create(C, $"bf16 relative error on the feed-forward layer: output {output:E2}, weight gradient {gradient:E2}"));
        return 0;
    }

    private static double Matmul(int n, ScalarType type, int reps)
    {
        using var g = new Generator(11);
        using var a = randn(new long[] { n, n }, generator: g).to(type);
        using var b = randn(new long[] { n, n }, generator: g).to(type);
        return 2.0 * n * n * n / Median(reps, () => { using var c = a.matmul(b); }) / 1e9;
    }

    // The shape of a NuCLR paper-width FFN over one batch of tokens: two matrix products forward, four backward.
    private static double FeedForward(ScalarType type, int reps)
    {
        const long tokens = 10_240, d = 256, hidden = 1024;
        using var g = new Generator(12);
        using var x = randn(new long[] { tokens, d }, generator: g).to(type);
        using var w1 = (randn(new long[] { d, hidden }, generator: g) * 0.05).to(type).requires_grad_();
        using var w2 = (randn(new long[] { hidden, d }, generator: g) * 0.05).to(type).requires_grad_();
        double seconds = Median(reps, () =>
        {
            using var scope = NewDisposeScope();
            var y = nn.functional.gelu(x.matmul(w1)).matmul(w2);
            y.sum().backward();
            w1.grad?.zero_();
            w2.grad?.zero_();
        });
        return 6.0 * tokens * d * hidden / seconds / 1e9;
    }

    private static (double Output, double Gradient) Bf16Error()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(13);
        var x = randn(new long[] { 2048, 256 }, generator: g);
        var w = (randn(new long[] { 256, 1024 }, generator: g) * 0.05);
        (Tensor Y, Tensor Grad) Run(ScalarType type)
        {
            var wt = w.to(type).detach().requires_grad_();
            var y = nn.functional.gelu(x.to(type).matmul(wt));
            y.pow(2).sum().backward();
            return (y.to(ScalarType.Float32), wt.grad!.to(ScalarType.Float32));
        }
        var (y32, g32) = Run(ScalarType.Float32);
        var (y16, g16) = Run(ScalarType.BFloat16);
        double Rel(Tensor a, Tensor b) => (a - b).norm().item<float>() / b.norm().item<float>();
        return (Rel(y16, y32), Rel(g16, g32));
    }

    private static double Median(int reps, Action run)
    {
        run();   // warm-up: first-call allocation and kernel selection
        var times = new List<double>();
        for (int r = 0; r < reps; r++)
        {
            var clock = Stopwatch.StartNew();
            run();
            times.Add(clock.Elapsed.TotalSeconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
