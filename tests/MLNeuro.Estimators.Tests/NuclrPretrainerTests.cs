using System.Diagnostics;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Synthetic;
using Xunit.Abstractions;
using static MLNeuro.Estimators.Tests.TorchTestHelpers;
using static TorchSharp.torch;

namespace MLNeuro.Estimators.Tests;

public sealed class NuclrPretrainerTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mlneuro-pretrain-" + Guid.NewGuid().ToString("N"));
    private readonly ITestOutputHelper _output;

    public NuclrPretrainerTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_folder);
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    // Tiny encoder: 4 patches x 10 bins of 20 ms = 0.8 s windows.
    private static NuclrModelOptions TinyOptions(ObjectiveKind kind = ObjectiveKind.Dcl) => new()
    {
        Encoder = NuclrEncoderOptions.Tiny,
        Sampling = new NuclrSamplingOptions
        {
            WindowSeconds = NuclrEncoderOptions.Tiny.WindowSeconds,
            PatchCount = NuclrEncoderOptions.Tiny.PatchCount,
            BinSeconds = NuclrEncoderOptions.Tiny.BinSeconds,
            MaxOffsetSeconds = 10,
            BatchSize = 2,
        },
        Objective = new ObjectiveOptions { Kind = kind },
        ProjectorDim = 16,
    };

    private static TrainingOptions Training(int steps = 20, long seed = 5) =>
        new() { TotalSteps = steps, WarmupSteps = 2, LearningRate = 2e-3, Seed = seed };

    private NeuralDataset Dataset()
    {
        var path = Path.Combine(_folder, "synth");
        if (!Directory.Exists(path))
            SyntheticDataset.Write(new SyntheticOptions { Subjects = 2, SessionsPerSubject = 1, UnitsPerSession = 8, DurationSeconds = 40, Seed = 1 }, path);
        return NeuralDataset.Open(path);
    }

    private sealed class Recorder : IProgress<TrainingProgress>
    {
        public List<TrainingProgress> Reports { get; } = new();
        public void Report(TrainingProgress value) => Reports.Add(value);
    }

    [Fact]
    public void Pretrain_loss_decreases_and_artifact_reads_back_as_nuclr_with_onnx()
    {
        UseOneThread();
        var dataset = Dataset();
        var recorder = new Recorder();
        var clock = Stopwatch.StartNew();
        var artifact = NuclrPretrainer.Pretrain(dataset, TinyOptions(), Training(), recorder);
        clock.Stop();

        var losses = recorder.Reports.Select(r => r.Loss).ToArray();
        Assert.Equal(20, losses.Length);
        Assert.All(losses, l => Assert.True(double.IsFinite(l)));
        double first = losses.Take(5).Average(), last = losses.TakeLast(5).Average();
        _output.WriteLine($"loss first5 {first:F4} last5 {last:F4}; {recorder.Reports[^1].StepsPerSecond:F1} steps/s; total {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(last < first, $"loss did not decrease: first 5 {first}, last 5 {last}");

        var path = Path.Combine(_folder, "model.zip");
        artifact.Write(path);
        var read = ModelArtifact.Read(path);
        Assert.Equal(NuclrModelOptions.ModelKind, read.Manifest.ModelKind);
        Assert.Equal(TinyOptions(), NuclrModelOptions.FromArtifact(read));
        Assert.NotNull(read.OnnxModel);
        Assert.True(read.OnnxModel!.Value.Length > 0);
        Assert.Equal(5, read.Manifest.Provenance.Seed);

        // The weights carry the documented layout: encoder keys bare, the projector under "projector.".
        using var g = new Generator(0);
        using var model = new NuclrPretrainingModel(TinyOptions(), g);
        read.LoadWeightsInto(model);
        var keys = model.state_dict().Keys.ToArray();
        Assert.Contains(keys, k => k.StartsWith("patch_embed.", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.StartsWith("projector.", StringComparison.Ordinal));
        Assert.DoesNotContain(keys, k => k.StartsWith("encoder.", StringComparison.Ordinal));
    }

    [Fact]
    public void Same_seed_gives_identical_weights()
    {
        UseOneThread();
        var dataset = Dataset();
        var a = NuclrPretrainer.Pretrain(dataset, TinyOptions(ObjectiveKind.Vicreg), Training(steps: 6, seed: 3));
        var b = NuclrPretrainer.Pretrain(dataset, TinyOptions(ObjectiveKind.Vicreg), Training(steps: 6, seed: 3));
        var c = NuclrPretrainer.Pretrain(dataset, TinyOptions(ObjectiveKind.Vicreg), Training(steps: 6, seed: 4));
        Assert.True(a.WeightsSafetensors.Span.SequenceEqual(b.WeightsSafetensors.Span));
        Assert.False(a.WeightsSafetensors.Span.SequenceEqual(c.WeightsSafetensors.Span));
    }

    [Fact]
    public void Excluded_subjects_are_never_sampled()
    {
        TorchRuntime.EnsureAvailable();
        var dataset = Dataset();
        var subjects = dataset.Sessions.Select(s => s.SubjectId).Distinct().ToArray();
        Assert.Equal(2, subjects.Length);
        var sampler = NuclrPretrainer.CreateSampler(dataset, NuclrPretrainer.SessionsExcluding(dataset, new[] { subjects[0] }), TinyOptions());
        Assert.All(sampler.Recordings, r => Assert.Equal(subjects[1], r.SubjectId));
        for (int step = 0; step < 10; step++)
        {
            using var batch = sampler.Next(StepRandom.For(0, step));
            Assert.All(batch.SessionIds, id => Assert.StartsWith(subjects[1], id, StringComparison.Ordinal));
        }
        Assert.Throws<ArgumentException>(() => NuclrPretrainer.SessionsExcluding(dataset, subjects));
    }

    [Fact]
    public void Cancelled_run_leaves_a_checkpoint_and_resume_matches_an_uninterrupted_run()
    {
        UseOneThread();
        var dataset = Dataset();
        var full = NuclrPretrainer.Pretrain(dataset, TinyOptions(), Training(steps: 6));

        var checkpoint = Path.Combine(_folder, "run.checkpoint");
        using var cts = new CancellationTokenSource();
        var cancelAt3 = new CancelAfter(cts, 3);
        var options = Training(steps: 6);
        options.CheckpointPath = checkpoint;
        Assert.ThrowsAny<OperationCanceledException>(() => NuclrPretrainer.Pretrain(dataset, TinyOptions(), options, cancelAt3, cts.Token));
        Assert.True(File.Exists(checkpoint));

        var resumed = NuclrPretrainer.Pretrain(dataset, TinyOptions(), options, resume: true);
        Assert.True(full.WeightsSafetensors.Span.SequenceEqual(resumed.WeightsSafetensors.Span));
    }

    private sealed class CancelAfter(CancellationTokenSource cts, int steps) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step >= steps) cts.Cancel();
        }
    }
}
