using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using MLNeuro.Estimators;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNeuro.Benchmarks;

/// <summary>
/// In-process runs (libtorch is loaded once, no 500 MB native copy into a generated project), 1 warm-up + 5 iterations,
/// one operation per iteration (a training step takes seconds).
/// </summary>
public sealed class NuclrTrainingConfig : ManualConfig
{
    public NuclrTrainingConfig()
    {
        AddJob(Job.Default.WithWarmupCount(1).WithIterationCount(5).WithLaunchCount(1).WithInvocationCount(1).WithUnrollFactor(1)
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true)));
    }
}

/// <summary>
/// The NuCLR issue's training figures: one pretraining step of the paper configuration (encoder d 256, 10 patches x 50
/// bins, 4 heads x 64, 2 temporal + 2 x [spatial, temporal] blocks, projector 128, DCL) on a fixed synthetic batch, and
/// in the same run, at the same libtorch thread count, libtorch's own matrix-product rate: a square 2048 product (the
/// peak) and the model's largest Linear at the step's token count. <see cref="NuclrReport"/> turns the medians into
/// windows/s, units/s, achieved GFLOP/s (<see cref="NuclrFlops"/>) and the fraction of the matmul peak.
/// </summary>
/// <remarks>
/// <para>The batch is <c>mlneuro pretrain nuclr --config paper</c>'s default: 8 samples x 2 views, cut by
/// <see cref="NuclrBatchSampler"/> from one synthetic session of 64 units (the demo data's session size), so each step
/// encodes 16 windows x 64 unit slots x 10 patches = 10,240 tokens. The encoder computes every slot, including the units
/// a view dropped (they are masked), so the padded count is the work done.</para>
/// <para>The step mirrors <c>TrainingLoop.Run</c>'s body: zero_grad, forward, DCL, backward, gradient clipping at 1.0,
/// AdamW (the loop's two parameter groups), loss.item, inside a dispose scope. The optimizer and batch live across
/// steps, as in training; the learning rate is the paper's 5e-4 (its value does not change the cost).</para>
/// <para>On a shared machine, two libtorch threads only help when a second core is actually free: with the default
/// OpenMP wait policy a thread spins at every barrier while its partner is descheduled, which made the 2-thread step
/// twice as slow as the 1-thread step here (AdamW 16 ms -> 1.5 s). <c>OMP_WAIT_POLICY=PASSIVE</c> in the environment
/// removes that pathology; <c>nuclr-profile</c> splits the step to show it.</para>
/// </remarks>
[Config(typeof(NuclrTrainingConfig))]
public class NuclrTrainingBenchmarks
{
    /// <summary>Samples per batch (the CLI's default).</summary>
    public const int Batch = 8;

    /// <summary>Views per sample.</summary>
    public const int Views = 2;

    /// <summary>Units of the synthetic session (every view holds this many slots).</summary>
    public const int Units = 64;

    /// <summary>Square matrix size of the peak-rate product.</summary>
    public const int Square = 2048;

    /// <summary>Products per operation of the square benchmark (each takes ~0.1 s).</summary>
    public const int SquareRepeats = 4;

    /// <summary>Tokens of one step: Batch x Views x Units x patches.</summary>
    public static int Tokens => Batch * Views * Units * new NuclrEncoderOptions().PatchCount;

    [Params(1, 2)]
    public int Threads { get; set; }

    private NuclrModelOptions _options = null!;
    private NuclrPretrainingModel _model = null!;
    private AdamW _optimizer = null!;
    private List<Parameter> _parameters = null!;
    private NuclrBatch _batch = null!;
    private Tensor _a = null!, _b = null!, _x = null!, _w = null!, _bias = null!;

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureAvailable();
        set_num_threads(Threads);
        _options = NuclrBench.PaperOptions(Batch, Views);
        var recording = NuclrBench.Session(Units, 300);
        var sampler = new NuclrBatchSampler(new[] { recording }, _options.Sampling);
        _batch = sampler.Next(new Random(1));
        using var generator = new Generator(0);
        _model = new NuclrPretrainingModel(_options, generator);
        _model.train();
        // The step's dropout masks (the reference's 0.2) need a generator, as the training loop provides one.
        _model.Encoder.Dropout.Generator = new Generator(1);
        _optimizer = TrainingLoop.CreateOptimizer(_model, new TrainingOptions { LearningRate = 5e-4, WeightDecay = 0.01 });
        _parameters = _optimizer.parameters().ToList();

        using var g = new Generator(7);
        _a = randn(new long[] { Square, Square }, generator: g);
        _b = randn(new long[] { Square, Square }, generator: g);
        var o = _options.Encoder;
        long hidden = 2L * o.FfnMultiplier * o.Dim;
        _x = randn(new long[] { Tokens, o.Dim }, generator: g);
        _w = randn(new long[] { hidden, o.Dim }, generator: g) * 0.05;
        _bias = zeros(hidden);

        long parameters = _model.parameters().Sum(p => p.numel());
        Console.WriteLine($"// load average (1, 5, 15 min): {NuclrReport.LoadAverage()}");
        Console.WriteLine($"// torch threads {get_num_threads()}, batch [{string.Join(", ", _batch.Counts.shape)}], {Tokens} tokens, "
            + $"{parameters:N0} parameters ({NuclrFlops.BlockWeights(o):N0} in the blocks' matrices), "
            + $"{NuclrFlops.TrainingStep(_options, Batch, Views, Units) / 1e9:F1} GFLOP per step");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _optimizer.Dispose();
        _model.Dispose();
        _batch.Dispose();
        foreach (var t in new[] { _a, _b, _x, _w, _bias }) t.Dispose();
    }

    [Benchmark(Description = "NuCLR training step (fwd + DCL + bwd + clip + AdamW)")]
    public float TrainingStep()
    {
        using var scope = NewDisposeScope();
        _optimizer.zero_grad();
        var projections = _model.forward(_batch.Counts, _batch.UnitMask);
        var loss = Objective.Compute(projections, _batch.SharedUnitMask, _options.Objective);
        loss.backward();
        nn.utils.clip_grad_norm_(_parameters, 1.0);
        _optimizer.step();
        return loss.item<float>();
    }

    [Benchmark(Description = "libtorch matmul [2048x2048] @ [2048x2048]", OperationsPerInvoke = SquareRepeats)]
    public float MatMulSquare()
    {
        using var scope = NewDisposeScope();
        float check = 0;
        for (int i = 0; i < SquareRepeats; i++) check += _a.matmul(_b)[0, 0].item<float>();
        return check;
    }

    [Benchmark(Description = "libtorch linear [tokens x 256] -> 2048 (GEGLU in)")]
    public float LinearModelShape()
    {
        using var scope = NewDisposeScope();
        return nn.functional.linear(_x, _w, _bias)[0, 0].item<float>();
    }
}
