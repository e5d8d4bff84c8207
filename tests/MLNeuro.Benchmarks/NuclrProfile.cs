using System.Diagnostics;
using System.Globalization;
using MLNeuro.Estimators;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNeuro.Benchmarks;

/// <summary>
/// Where a NuCLR training step's time goes (the investigation behind the FLOP-fraction figure of
/// <see cref="NuclrTrainingBenchmarks"/>): the step split into its phases, then each block, sublayer and primitive of
/// the encoder run alone (forward and backward) at the shapes the step gives it, with the matrix products' GFLOP/s.
/// CPU ops are synchronous, so a stopwatch around them is exact; each figure is the median of <c>--reps</c> runs after
/// one warm-up. Beside wall time it reports the process's CPU time (getrusage, user and sys): on a shared machine the
/// wall time of one torch thread includes time spent descheduled, its CPU time does not, and the sys share is the
/// kernel's page-fault work (see <see cref="GlibcMalloc"/>).
/// </summary>
/// <example><code>
/// dotnet run -c Release --project tests/MLNeuro.Benchmarks -- nuclr-profile [--threads 1,2] [--batch 8] [--units 64] [--reps 5] [--step-only] [--retain-memory]
/// </code></example>
internal static class NuclrProfile
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        TorchRuntime.EnsureAvailable();
        var threads = NuclrBench.ParseList(ConsoleArgs.Option(args, "--threads", "1,2"));
        int batch = int.Parse(ConsoleArgs.Option(args, "--batch", "8"), C);
        int units = int.Parse(ConsoleArgs.Option(args, "--units", "64"), C);
        int reps = int.Parse(ConsoleArgs.Option(args, "--reps", "5"), C);
        bool stepOnly = args.Contains("--step-only");
        if (args.Contains("--retain-memory")) Console.WriteLine($"// {GlibcMalloc.RetainFreedMemory()}");
        foreach (int t in threads)
        {
            set_num_threads(t);
            Console.WriteLine();
            Console.WriteLine($"## torch threads {get_num_threads()}, batch {batch} x 2 views x {units} units; load average {NuclrReport.LoadAverage()}");
            Peak(reps);
            Step(batch, units, reps);
            if (!stepOnly) Parts(batch, units, reps);
        }
        return 0;
    }

    /// <summary>libtorch's square matmul rate at the current thread count (the peak the step is compared with).</summary>
    private static void Peak(int reps)
    {
        const int n = 2048;
        using var g = new Generator(11);
        using var a = randn(new long[] { n, n }, generator: g);
        using var b = randn(new long[] { n, n }, generator: g);
        var wall = new List<double>();
        var cpu = new List<double>();
        for (int r = 0; r <= reps; r++)
        {
            var start = CpuTime.Now();
            var clock = Stopwatch.StartNew();
            using (var c = a.matmul(b)) { }
            double w = clock.Elapsed.TotalSeconds;
            var end = CpuTime.Now();
            if (r == 0) continue;
            wall.Add(w);
            cpu.Add(end.User + end.System - start.User - start.System);
        }
        double flops = 2.0 * n * n * n;
        Console.WriteLine(string.Create(C, $"peak: matmul [{n}x{n}] @ [{n}x{n}] {flops / Median(wall) / 1e9:F1} GFLOP/s wall, {flops / Median(cpu) / 1e9:F1} GFLOP/s per CPU-second"));
    }

    /// <summary>The step's phases, timed inside one real step (as NuclrTrainingBenchmarks.TrainingStep runs it).</summary>
    private static void Step(int batchSize, int units, int reps)
    {
        var options = NuclrBench.PaperOptions(batchSize);
        var sampler = new NuclrBatchSampler(new[] { NuclrBench.Session(units, 300) }, options.Sampling);
        using var batch = sampler.Next(new Random(1));
        using var generator = new Generator(0);
        using var model = new NuclrPretrainingModel(options, generator);
        model.train();
        model.Encoder.Dropout.Generator = generator; // the reference's dropout draws from it, as in the training loop
        using var optimizer = TrainingLoop.CreateOptimizer(model, new TrainingOptions());
        var parameters = optimizer.parameters().ToList();
        var phases = new[] { "forward (encoder + projector)", "DCL loss", "backward", "clip_grad_norm_", "AdamW step", "zero_grad + item" };
        var times = phases.ToDictionary(p => p, _ => new List<double>());
        var cpu = phases.ToDictionary(p => p, _ => new List<double>());
        var sys = phases.ToDictionary(p => p, _ => new List<double>());
        var total = new List<double>();
        var totalCpu = new List<double>();
        var totalSys = new List<double>();
        for (int r = 0; r <= reps; r++)
        {
            var clock = Stopwatch.StartNew();
            var startUsage = CpuTime.Now();
            double last = 0;
            var lastUsage = startUsage;
            void Mark(string phase)
            {
                double now = clock.Elapsed.TotalSeconds;
                var usage = CpuTime.Now();
                if (r > 0)
                {
                    times[phase].Add(now - last);
                    cpu[phase].Add(usage.User + usage.System - lastUsage.User - lastUsage.System);
                    sys[phase].Add(usage.System - lastUsage.System);
                }
                last = now;
                lastUsage = usage;
            }
            using (NewDisposeScope())
            {
                optimizer.zero_grad();
                var projections = model.forward(batch.Counts, batch.UnitMask);
                Mark(phases[0]);
                var loss = Objective.Compute(projections, batch.SharedUnitMask, options.Objective);
                Mark(phases[1]);
                loss.backward();
                Mark(phases[2]);
                nn.utils.clip_grad_norm_(parameters, 1.0);
                Mark(phases[3]);
                optimizer.step();
                Mark(phases[4]);
                loss.item<float>();
                Mark(phases[5]);
            }
            if (r > 0)
            {
                total.Add(clock.Elapsed.TotalSeconds);
                var end = CpuTime.Now();
                totalCpu.Add(end.User + end.System - startUsage.User - startUsage.System);
                totalSys.Add(end.System - startUsage.System);
            }
        }
        double flops = NuclrFlops.TrainingStep(options, batchSize, 2, units);
        double step = Median(total);
        double forwardFlops = NuclrFlops.EncoderForward(options.Encoder, batchSize * 2L, units) + NuclrFlops.HeadForward(options, batchSize, 2, units);
        double stepCpu = Median(totalCpu), stepSys = Median(totalSys);
        Console.WriteLine(string.Create(C, $"step: {step * 1e3:F0} ms wall, {stepCpu * 1e3:F0} ms CPU (user + sys, all threads) of which {stepSys * 1e3:F0} ms sys; "
            + $"{flops / 1e9:F1} GFLOP -> {flops / step / 1e9:F1} GFLOP/s wall, {flops / stepCpu / 1e9:F1} GFLOP/s per CPU-second; "
            + $"{batchSize * 2 / step:F2} windows/s, {batchSize * 2 * units / step:F0} units/s (wall)"));
        Console.WriteLine("| phase | wall ms | share | CPU ms | sys ms | GFLOP/s wall | GFLOP/s per CPU-s |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var p in phases)
        {
            double m = Median(times[p]), mc = Median(cpu[p]), ms = Median(sys[p]);
            double phaseFlops = p == phases[0] ? forwardFlops : p == phases[2] ? flops - forwardFlops : 0;
            string rate = phaseFlops > 0 ? (phaseFlops / m / 1e9).ToString("F1", C) : "";
            string rateCpu = phaseFlops > 0 ? (phaseFlops / mc / 1e9).ToString("F1", C) : "";
            Console.WriteLine(string.Create(C, $"| {p} | {m * 1e3:F1} | {100 * m / step:F0}% | {mc * 1e3:F1} | {ms * 1e3:F1} | {rate} | {rateCpu} |"));
        }
    }

    /// <summary>Blocks, sublayers and primitives alone at the step's shapes, forward then backward.</summary>
    private static void Parts(int batchSize, int units, int reps)
    {
        var o = new NuclrEncoderOptions();
        long rows = batchSize * 2L, p = o.PatchCount, d = o.Dim, h = o.Heads, hd = o.HeadDim, inner = h * hd;
        long f = (long)o.FfnMultiplier * d, tokens = rows * units * p;
        using var g = new Generator(3);
        var rotary = new RotaryEmbedding((int)hd, (int)hd, 2, 4.0 * p);
        var temporalX = randn(new long[] { rows * units, p, d }, generator: g);
        var spatialX = randn(new long[] { rows * p, units, d }, generator: g);
        var positions = arange(p, dtype: ScalarType.Float32).unsqueeze(0).expand(rows * units, p);
        // Views keep 50-100% of units: about a quarter of the spatial keys are masked on average.
        var padded = rand(new long[] { rows * p, units }, generator: g).lt(0.25);

        Console.WriteLine(string.Create(C, $"parts at the step's shapes: {tokens} tokens; temporal sequences [{rows * units} x {p}], spatial [{rows * p} x {units}]"));
        Console.WriteLine("| part | fwd ms | bwd ms | fwd+bwd ms (wall) | CPU ms | sys ms | x per step | CPU ms per step | matmul GFLOP/s wall | per CPU-s |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        int temporalBlocks = o.TemporalBlocks + o.SpatioTemporalBlocks, spatialBlocks = o.SpatioTemporalBlocks;
        double Attn(long seq) => 4.0 * tokens * seq * inner;
        double denseBlock = 2.0 * tokens * NuclrFlops.BlockWeights(o) / NuclrFlops.Blocks(o);

        using (var block = new TransformerBlock((int)d, (int)h, (int)hd, o.FfnMultiplier, rotary, g))
            Row("temporal block (attn + GEGLU)", reps, temporalX, x => block.forward(x, positions, null), block, temporalBlocks, denseBlock + Attn(p));
        using (var block = new TransformerBlock((int)d, (int)h, (int)hd, o.FfnMultiplier, null, g))
            Row("spatial block (attn + GEGLU)", reps, spatialX, x => block.forward(x, null, padded), block, spatialBlocks, denseBlock + Attn(units));
        double attnDense = 2.0 * tokens * (d * 3 * inner + inner * d), ffnDense = 2.0 * tokens * (d * 2 * f + f * d);
        using (var attn = new RotarySelfAttention((int)d, (int)h, (int)hd, rotary, g))
            Row("  temporal attention sublayer", reps, temporalX, x => attn.forward(x, positions, null), attn, temporalBlocks, attnDense + Attn(p));
        using (var attn = new RotarySelfAttention((int)d, (int)h, (int)hd, null, g))
            Row("  spatial attention sublayer (masked)", reps, spatialX, x => attn.forward(x, null, padded), attn, spatialBlocks, attnDense + Attn(units));
        using (var ffn = new GegluFeedForward((int)d, o.FfnMultiplier, g))
            Row("  GEGLU sublayer (LN, Linear, GELU x, Linear)", reps, temporalX, x => ffn.forward(x), ffn, temporalBlocks + spatialBlocks, ffnDense);

        var flat = randn(new long[] { tokens, d }, generator: g);
        foreach (var (name, inF, outF, count) in new[]
        {
            ("    Linear 256 -> 768 (qkv, no bias)", d, 3 * inner, 1),
            ("    Linear 256 -> 256 (attention out)", inner, d, 1),
            ("    Linear 256 -> 2048 (GEGLU in)", d, 2 * f, 1),
            ("    Linear 1024 -> 256 (GEGLU out)", f, d, 1),
        })
        {
            using var linear = nn.Linear(inF, outF, hasBias: !name.Contains("no bias"));
            var input = inF == d ? flat : randn(new long[] { tokens, inF }, generator: g);
            Row(name, reps, input, x => linear.forward(x), linear, temporalBlocks + spatialBlocks, 2.0 * tokens * inF * outF);
        }
        using (var norm = nn.LayerNorm(d))
            Row("    LayerNorm [T x 256]", reps, flat, x => norm.forward(x), norm, 2 * (temporalBlocks + spatialBlocks) + 1, 0);
        var hidden = randn(new long[] { tokens, 2 * f }, generator: g);
        Row("    GEGLU gate: chunk, GELU, multiply [T x 2048]", reps, hidden, x =>
        {
            var halves = x.chunk(2, -1);
            return halves[0] * nn.functional.gelu(halves[1]);
        }, null, temporalBlocks + spatialBlocks, 0);
        var q = randn(new long[] { rows * units, h, p, hd }, generator: g);
        Row("    rotary (one of q, k) [B*U, 4, 10, 64]", reps, q, x => rotary.Rotate(x, positions), null, 2 * temporalBlocks, 0);
        var qkvTemporal = randn(new long[] { rows * units, h, p, hd }, generator: g);
        Row("    SDPA temporal [B*U, 4, 10, 64]", reps, qkvTemporal, x => nn.functional.scaled_dot_product_attention(x, x * 0.5, x * 0.25), null, temporalBlocks, Attn(p));
        Row("    explicit attention temporal (matmul, softmax, matmul)", reps, qkvTemporal, x => Explicit(x, x * 0.5, x * 0.25, null), null, 0, Attn(p));
        var qkvSpatial = randn(new long[] { rows * p, h, units, hd }, generator: g);
        var attend = padded.logical_not().view(rows * p, 1, 1, units);
        Row("    SDPA spatial, bool key mask [B*P, 4, U, 64]", reps, qkvSpatial, x => nn.functional.scaled_dot_product_attention(x, x * 0.5, x * 0.25, attend), null, spatialBlocks, Attn(units));
        Row("    SDPA spatial, no mask", reps, qkvSpatial, x => nn.functional.scaled_dot_product_attention(x, x * 0.5, x * 0.25), null, 0, Attn(units));
        Row("    explicit attention spatial, masked", reps, qkvSpatial, x => Explicit(x, x * 0.5, x * 0.25, attend), null, 0, Attn(units));
        Row("    layout copy [B,U,P,d] <-> [B,P,U,d]", reps, temporalX, x => x.view(rows, units, p, d).transpose(1, 2).reshape(rows * p, units, d), null, 4 * spatialBlocks, 0);
        Row("    qkv split to heads (view, permute) + merge (transpose, reshape)", reps, randn(new long[] { rows * units, p, 3 * inner }, generator: g), x =>
        {
            var t = x.view(rows * units, p, 3, h, hd).permute(2, 0, 3, 1, 4);
            return (t[0] + t[1] + t[2]).transpose(1, 2).reshape(rows * units, p, inner);
        }, null, temporalBlocks + spatialBlocks, 0);
    }

    private static Tensor Explicit(Tensor q, Tensor k, Tensor v, Tensor? attend)
    {
        var scores = q.matmul(k.transpose(-2, -1)) * (1.0 / Math.Sqrt(q.shape[^1]));
        if (attend is not null) scores = scores.masked_fill(attend.logical_not(), double.NegativeInfinity);
        return scores.softmax(-1).matmul(v);
    }

    /// <summary>
    /// Times forward and backward of <paramref name="run"/> on a fresh leaf copy of <paramref name="input"/> (which needs a
    /// gradient, as every block input does in the step), wall and CPU time; <paramref name="perStep"/> is how often the
    /// step runs the part and <paramref name="flops"/> its forward matmul FLOPs (x 3 for forward + backward).
    /// </summary>
    private static void Row(string name, int reps, Tensor input, Func<Tensor, Tensor> run, nn.Module? module, int perStep, double flops)
    {
        var forward = new List<double>();
        var backward = new List<double>();
        var cpu = new List<double>();
        var sys = new List<double>();
        for (int r = 0; r <= reps; r++)
        {
            using var scope = NewDisposeScope();
            module?.zero_grad();
            var x = input.detach().clone().requires_grad_(true);
            var grad = ones_like(run(x.detach()));
            var start = CpuTime.Now();
            var clock = Stopwatch.StartNew();
            var y = run(x);
            double fwd = clock.Elapsed.TotalSeconds;
            clock.Restart();
            y.backward(new[] { grad });
            double bwd = clock.Elapsed.TotalSeconds;
            var end = CpuTime.Now();
            if (r == 0) continue;
            forward.Add(fwd);
            backward.Add(bwd);
            cpu.Add(end.User + end.System - start.User - start.System);
            sys.Add(end.System - start.System);
        }
        double fm = Median(forward), bm = Median(backward), both = fm + bm, cm = Median(cpu), sm = Median(sys);
        string rate = flops > 0 ? (3 * flops / both / 1e9).ToString("F1", C) : "";
        string rateCpu = flops > 0 ? (3 * flops / cm / 1e9).ToString("F1", C) : "";
        Console.WriteLine(string.Create(C, $"| {name} | {fm * 1e3:F1} | {bm * 1e3:F1} | {both * 1e3:F1} | {cm * 1e3:F1} | {sm * 1e3:F1} | {(perStep > 0 ? perStep.ToString(C) : "-")} | {(perStep > 0 ? (cm * perStep * 1e3).ToString("F0", C) : "-")} | {rate} | {rateCpu} |"));
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>This process's CPU time (all threads) from getrusage(RUSAGE_SELF), in seconds; Process times elsewhere.</summary>
internal static class CpuTime
{
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRUsage(int who, long[] usage);

    public static (double User, double System) Now()
    {
        if (OperatingSystem.IsLinux())
        {
            // struct rusage: ru_utime {tv_sec, tv_usec}, ru_stime {tv_sec, tv_usec}, then 14 longs.
            var usage = new long[18];
            if (GetRUsage(0, usage) == 0) return (usage[0] + usage[1] / 1e6, usage[2] + usage[3] / 1e6);
        }
        using var self = Process.GetCurrentProcess();
        return (self.UserProcessorTime.TotalSeconds, self.PrivilegedProcessorTime.TotalSeconds);
    }
}

/// <summary>
/// The allocator experiment of the profile (<c>--retain-memory</c>): glibc serves blocks above its mmap threshold (at most
/// 32 MiB) with a fresh mmap and unmaps them on free, so every training step faults in, and the kernel zeroes, every
/// large activation and gradient again (~0.7 M page faults per paper-config step). mallopt(M_MMAP_MAX, 0) serves
/// everything from the heap and a high M_TRIM_THRESHOLD keeps freed memory for reuse; the same effect as
/// <c>GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=...</c>, but set at run time.
/// </summary>
internal static class GlibcMalloc
{
    private const int MTrimThreshold = -1, MMmapMax = -4;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallOpt(int param, int value);

    public static string RetainFreedMemory()
    {
        if (!OperatingSystem.IsLinux()) return "mallopt: not Linux, allocator unchanged";
        int mmap = MallOpt(MMmapMax, 0);
        int trim = MallOpt(MTrimThreshold, int.MaxValue);
        return $"mallopt(M_MMAP_MAX, 0) -> {mmap}, mallopt(M_TRIM_THRESHOLD, 2 GiB) -> {trim} (1 = accepted)";
    }
}
