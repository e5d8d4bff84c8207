using TorchSharp.Modules;
using static TorchSharp.torch;
using static MLNeuro.Estimators.Tests.TorchTestHelpers;

namespace MLNeuro.Estimators.Tests;

public sealed class TrainingLoopTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlneuro-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// Tiny regression net with a LayerNorm and biases, so both parameter groups are populated.
    private sealed class TinyNet : nn.Module<Tensor, Tensor>
    {
        private readonly Linear fc1;
        private readonly LayerNorm norm;
        private readonly Linear fc2;

        public TinyNet(ulong seed) : base(nameof(TinyNet))
        {
            using var g = new Generator(seed);
            fc1 = nn.Linear(4, 16);
            norm = nn.LayerNorm(16);
            fc2 = nn.Linear(16, 1);
            SeededInit.Reset(fc1, g);
            SeededInit.Reset(fc2, g);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            return fc2.forward(nn.functional.relu(norm.forward(fc1.forward(x)))).MoveToOuterDisposeScope();
        }
    }

    /// A fresh batch every step, drawn from the loop's generator, so resume must restore the generator too.
    private static Func<int, Generator, Tensor> Regression(TinyNet net, int failAtStep = -1) => (step, g) =>
    {
        if (step == failAtStep) throw new InvalidOperationException("simulated kill");
        var x = randn(new long[] { 32, 4 }, generator: g);
        var y = (x * tensor(new[] { 1.5f, -2f, 0.5f, 1f })).sum(1, keepdim: true) + 0.3f;
        return nn.functional.mse_loss(net.forward(x), y);
    };

    private TrainingOptions Options(int totalSteps = 30, string? checkpoint = null, int every = 0, TrainingOptimizer optimizer = TrainingOptimizer.AdamW) => new()
    {
        LearningRate = 1e-2, WarmupSteps = 3, TotalSteps = totalSteps, Seed = 11, Optimizer = optimizer,
        CheckpointPath = checkpoint is null ? null : Path.Combine(_dir, checkpoint), CheckpointEverySteps = every,
    };

    private sealed class CancelAt(int step, CancellationTokenSource source) : IProgress<TrainingProgress>
    {
        public List<TrainingProgress> Reports { get; } = new();

        public void Report(TrainingProgress value)
        {
            Reports.Add(value);
            if (value.Step == step) source.Cancel();
        }
    }

    [Fact]
    public void Loss_of_a_tiny_regression_decreases_and_progress_reports_every_step()
    {
        UseOneThread();
        using var net = new TinyNet(1);
        using var cts = new CancellationTokenSource();
        var progress = new CancelAt(-1, cts);
        var run = TrainingLoop.Run(net, Regression(net), Options(60), progress);
        Assert.Equal(60, run.Losses.Count);
        Assert.True(run.Losses.TakeLast(5).Average() < 0.2 * run.Losses.Take(5).Average(),
            $"first {run.Losses.Take(5).Average()} last {run.Losses.TakeLast(5).Average()}");
        Assert.Equal(Enumerable.Range(1, 60), progress.Reports.Select(r => r.Step));
        Assert.All(progress.Reports, r => Assert.True(r.StepsPerSecond > 0 && r.TotalSteps == 60));
        Assert.Equal(TimeSpan.Zero, progress.Reports[^1].Eta);
    }

    [Fact]
    public void Same_seed_gives_identical_weights()
    {
        UseOneThread();
        using var a = new TinyNet(1);
        using var b = new TinyNet(1);
        TrainingLoop.Run(a, Regression(a), Options());
        TrainingLoop.Run(b, Regression(b), Options());
        AssertSameWeights(a, b);
    }

    [Fact]
    public void Schedule_is_linear_warmup_then_cosine_to_zero()
    {
        const double peak = 5e-4;
        Assert.Equal(peak * 1 / 10, LearningRateSchedule.At(0, peak, 10, 110), 15);
        Assert.Equal(peak * 5 / 10, LearningRateSchedule.At(4, peak, 10, 110), 15);
        Assert.Equal(peak, LearningRateSchedule.At(10, peak, 10, 110), 15);
        Assert.Equal(peak * 0.5 * (1 + Math.Cos(Math.PI * 25 / 100)), LearningRateSchedule.At(35, peak, 10, 110), 15);
        Assert.Equal(peak * 0.5, LearningRateSchedule.At(60, peak, 10, 110), 15);
        Assert.Equal(peak * 0.5 * (1 + Math.Cos(Math.PI * 99 / 100)), LearningRateSchedule.At(109, peak, 10, 110), 15);
        Assert.Equal(peak, LearningRateSchedule.At(0, peak, 0, 1), 15);
    }

    [Fact]
    public void Weight_decay_spares_norms_and_biases()
    {
        UseOneThread();
        using var net = new TinyNet(1);
        var (decay, noDecay) = ParameterGroups.Split(net);
        Assert.Equal(new[] { "fc1.weight", "fc2.weight" }, decay.Select(p => p.Name).OrderBy(n => n));
        Assert.Equal(new[] { "fc1.bias", "fc2.bias", "norm.bias", "norm.weight" }, noDecay.Select(p => p.Name).OrderBy(n => n));

        using var optimizer = TrainingLoop.CreateOptimizer(net, new TrainingOptions { WeightDecay = 0.01 });
        var groups = optimizer.ParamGroups.Cast<ParamGroup>().ToList();
        Assert.Equal(2, groups.Count);
        Assert.Equal(0.01, ((AdamW.Options)groups[0].Options).weight_decay);
        Assert.Equal(0.0, ((AdamW.Options)groups[1].Options).weight_decay);
        Assert.Equal(decay.Select(p => p.Parameter.Handle), groups[0].Parameters.Select(p => p.Handle));
        Assert.Equal(noDecay.Select(p => p.Parameter.Handle), groups[1].Parameters.Select(p => p.Handle));
    }

    [Fact]
    public void A_native_error_in_a_step_rolls_back_to_the_last_checkpoint_and_the_run_ends_as_an_uninterrupted_one()
    {
        UseOneThread();
        using var reference = new TinyNet(1);
        var full = TrainingLoop.Run(reference, Regression(reference), Options());

        using var flaky = new TinyNet(1);
        int failures = 0;
        var inner = Regression(flaky);
        Tensor Flaky(int step, Generator g)
        {
            if (step == 12 && failures++ == 0) throw new System.Runtime.InteropServices.ExternalException("simulated native error");
            return inner(step, g);
        }
        var run = TrainingLoop.Run(flaky, Flaky, Options(checkpoint: "flaky.bin", every: 5));
        Assert.Equal(2, failures); // step 12 ran twice: failed once, then succeeded after the rollback to step 10
        Assert.Equal(full.Losses, run.Losses);
        AssertSameWeights(reference, flaky);

        // Before the first periodic checkpoint the run rolls back to the checkpoint written at its start.
        using var early = new TinyNet(1);
        bool failed = false;
        var earlyInner = Regression(early);
        var earlyRun = TrainingLoop.Run(early, (step, g) =>
        {
            if (step == 2 && !failed) { failed = true; throw new System.Runtime.InteropServices.ExternalException("early"); }
            return earlyInner(step, g);
        }, Options(checkpoint: "early.bin", every: 5));
        Assert.True(failed);
        Assert.Equal(full.Losses, earlyRun.Losses);

        // An error that recurs is rethrown after MaxRollbacks attempts.
        using var broken = new TinyNet(1);
        var always = Regression(broken);
        Assert.Throws<System.Runtime.InteropServices.ExternalException>(() => TrainingLoop.Run(broken,
            (step, g) => step == 12 ? throw new System.Runtime.InteropServices.ExternalException("deterministic") : always(step, g),
            Options(checkpoint: "broken.bin", every: 5)));
    }

    [Fact]
    public void Resuming_from_a_checkpoint_of_another_model_names_the_file()
    {
        UseOneThread();
        using var first = new TinyNet(1);
        TrainingLoop.Run(first, Regression(first), Options(totalSteps: 3, checkpoint: "other.bin"));
        using var different = nn.Sequential(("fc", nn.Linear(4, 2)));
        var error = Assert.Throws<InvalidDataException>(() => TrainingLoop.Run(different,
            (step, gen) => different.forward(randn(new long[] { 3, 4 }, generator: gen)).square().mean(), Options(totalSteps: 3, checkpoint: "other.bin"), resume: true));
        Assert.Contains("other.bin", error.Message);
        Assert.Contains("does not fit this model", error.Message);
    }

    [Theory]
    [InlineData(0.5)] // cut inside the weights
    [InlineData(0.98)] // cut inside the optimizer state
    public void Truncated_checkpoint_names_the_file_and_says_it_is_truncated(double keep)
    {
        UseOneThread();
        using var first = new TinyNet(1);
        TrainingLoop.Run(first, Regression(first), Options(totalSteps: 3, checkpoint: "cut.bin"));
        var path = Path.Combine(_dir, "cut.bin");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * keep)]);

        using var again = new TinyNet(1);
        var error = Assert.Throws<InvalidDataException>(() =>
            TrainingLoop.Run(again, Regression(again), Options(totalSteps: 3, checkpoint: "cut.bin"), resume: true));
        Assert.Contains(path, error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_checkpoint_is_named()
    {
        UseOneThread();
        var path = Path.Combine(_dir, "notes.bin");
        File.WriteAllText(path, "not a checkpoint");
        using var net = new TinyNet(1);
        var error = Assert.Throws<InvalidDataException>(() =>
            TrainingLoop.Run(net, Regression(net), Options(totalSteps: 3, checkpoint: "notes.bin"), resume: true));
        Assert.Contains(path, error.Message);
        Assert.Contains("not an MLNeuro training checkpoint", error.Message);
    }

    [Fact]
    public void Killed_run_resumes_from_its_last_checkpoint_with_the_same_loss_trajectory()
    {
        UseOneThread();
        using var reference = new TinyNet(1);
        var full = TrainingLoop.Run(reference, Regression(reference), Options());

        // Crash at step 12 with checkpoints every 5 steps: the checkpoint on disk is after step 10.
        using var killed = new TinyNet(1);
        Assert.Throws<InvalidOperationException>(() =>
            TrainingLoop.Run(killed, Regression(killed, failAtStep: 12), Options(checkpoint: "ckpt.bin", every: 5)));
        Assert.Equal(["ckpt.bin"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName)); // no temporary file left

        // A new process would build the model afresh (here even from another init seed): the checkpoint overrides it.
        using var resumed = new TinyNet(99);
        var rest = TrainingLoop.Run(resumed, Regression(resumed), Options(checkpoint: "ckpt.bin", every: 5), resume: true);
        Assert.Equal(10, rest.StartStep);
        Assert.Equal(full.Losses.Skip(10), rest.Losses); // bitwise equal
        AssertSameWeights(reference, resumed);
    }

    [Fact]
    public void Killed_lamb_run_with_the_reference_schedule_resumes_exactly()
    {
        UseOneThread();
        TrainingOptions Lamb(string? checkpoint = null) => Options(checkpoint: checkpoint, every: checkpoint is null ? 0 : 5, optimizer: TrainingOptimizer.Lamb) with
        {
            WarmupSteps = 0, PeakHoldFraction = 0.5, FinalLearningRateFraction = 1e-4, CycleBeta1 = true, ClipNorm = 0, WeightDecay = 1e-4,
        };
        using var reference = new TinyNet(1);
        var full = TrainingLoop.Run(reference, Regression(reference), Lamb());
        Assert.True(full.Losses[^1] < full.Losses[0] / 2, $"LAMB did not learn: {full.Losses[0]} -> {full.Losses[^1]}");

        using var killed = new TinyNet(1);
        Assert.Throws<InvalidOperationException>(() => TrainingLoop.Run(killed, Regression(killed, failAtStep: 12), Lamb("lamb.bin")));
        using var resumed = new TinyNet(99);
        var rest = TrainingLoop.Run(resumed, Regression(resumed), Lamb("lamb.bin"), resume: true);
        Assert.Equal(10, rest.StartStep);
        Assert.Equal(full.Losses.Skip(10), rest.Losses);
        AssertSameWeights(reference, resumed);

        // An AdamW run cannot pick up a LAMB checkpoint by mistake: the optimizer is part of the run's settings.
        using var other = new TinyNet(1);
        var error = Assert.Throws<InvalidDataException>(() => TrainingLoop.Run(other, Regression(other),
            Lamb("lamb.bin") with { Optimizer = TrainingOptimizer.AdamW }, resume: true));
        Assert.Contains("optimizer", error.Message);
    }

    [Fact]
    public void Cancellation_writes_a_checkpoint_then_throws_and_resume_continues_exactly()
    {
        UseOneThread();
        using var reference = new TinyNet(1);
        var full = TrainingLoop.Run(reference, Regression(reference), Options());

        using var cancelled = new TinyNet(1);
        using var cts = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() => TrainingLoop.Run(cancelled, Regression(cancelled),
            Options(checkpoint: "cancel.bin"), new CancelAt(7, cts), cts.Token));
        Assert.True(File.Exists(Path.Combine(_dir, "cancel.bin")));

        using var resumed = new TinyNet(5);
        var rest = TrainingLoop.Run(resumed, Regression(resumed), Options(checkpoint: "cancel.bin"), resume: true);
        Assert.Equal(7, rest.StartStep);
        Assert.Equal(full.Losses.Skip(7), rest.Losses);
        AssertSameWeights(reference, resumed);
    }

    [Fact]
    public void Resuming_with_other_settings_is_refused_and_names_each_difference()
    {
        UseOneThread();
        using var first = new TinyNet(1);
        var model = TrainingRunSettings.ModelAndSessions("{\"depth\":2,\"heads\":4}", ["s1"]);
        TrainingLoop.Run(first, Regression(first), Options(totalSteps: 4, checkpoint: "settings.bin"), runSettings: model);
        var checkpoint = File.ReadAllBytes(Path.Combine(_dir, "settings.bin"));

        using var second = new TinyNet(1);
        var fewerSteps = Assert.Throws<InvalidDataException>(() => TrainingLoop.Run(second, Regression(second),
            Options(totalSteps: 3, checkpoint: "settings.bin"), resume: true, runSettings: model));
        Assert.Contains("settings.bin", fewerSteps.Message);
        Assert.Contains("steps: checkpoint 4, now 3", fewerSteps.Message);

        var otherModel = TrainingRunSettings.ModelAndSessions("{\"depth\":3,\"heads\":4}", ["s1", "s2"]);
        var deeper = Assert.Throws<InvalidDataException>(() => TrainingLoop.Run(second, Regression(second),
            Options(totalSteps: 4, checkpoint: "settings.bin"), resume: true, runSettings: otherModel));
        Assert.Contains("model.depth: checkpoint 2, now 3", deeper.Message);
        Assert.Contains("sessions", deeper.Message);
        Assert.DoesNotContain("heads", deeper.Message);
        Assert.Equal(checkpoint, File.ReadAllBytes(Path.Combine(_dir, "settings.bin"))); // a refused resume changes nothing

        var same = TrainingLoop.Run(second, Regression(second), Options(totalSteps: 4, checkpoint: "settings.bin"), resume: true, runSettings: model);
        Assert.Equal(4, same.StartStep);
    }

    [Theory]
    [InlineData(0.02)] // inside the settings
    [InlineData(0.3)]  // inside the generator state (a short state used to abort the process in libtorch)
    [InlineData(0.9)]  // inside the weights or optimizer state
    public void A_truncated_checkpoint_names_the_file(double keep)
    {
        UseOneThread();
        using var net = new TinyNet(1);
        TrainingLoop.Run(net, Regression(net), Options(totalSteps: 4, checkpoint: "cut.bin"));
        var path = Path.Combine(_dir, "cut.bin");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * keep)]);
        var e = Assert.Throws<InvalidDataException>(() => TrainingLoop.Run(net, Regression(net), Options(totalSteps: 4, checkpoint: "cut.bin"), resume: true));
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Invalid_options_name_the_setting()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { TotalSteps = 10, WarmupSteps = 11 }.Validate());
        Assert.Equal("WarmupSteps", e.ParamName);
    }
}
