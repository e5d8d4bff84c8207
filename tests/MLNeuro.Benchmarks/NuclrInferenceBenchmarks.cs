using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Transforms.Onnx;
using MLNeuro.Estimators;
using static TorchSharp.torch;

namespace MLNeuro.Benchmarks;

/// <summary>In-process, 1 warm-up + 5 iterations; BenchmarkDotNet picks the invocations per iteration (one window of 64 units takes tens of ms).</summary>
public sealed class NuclrInferenceConfig : ManualConfig
{
    public NuclrInferenceConfig()
    {
        AddJob(Job.Default.WithWarmupCount(1).WithIterationCount(5).WithLaunchCount(1)
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true)));
    }
}

/// <summary>
/// The NuCLR issue's inference comparison: the same paper-config encoder weights and the same evaluation windows
/// (10 s, every unit of a synthetic session) scored by ONNX Runtime directly (as <c>NuclrEmbedder.Embed</c> does), by
/// ML.NET's <c>ApplyOnnxModel</c> (the pipeline route of NuclrEmbedder's remarks) and by TorchSharp eager (no_grad, eval;
/// as <c>NuclrEmbedder.EmbedWithTorch</c> does). Every engine gets the same thread count: ORT and ML.NET through
/// IntraOpNumThreads, libtorch through set_num_threads. Each operation scores <see cref="WindowsPerOperation"/>
/// windows; <see cref="NuclrReport"/> prints ms per window and the TorchSharp / ONNX ratio.
/// </summary>
[Config(typeof(NuclrInferenceConfig))]
public class NuclrInferenceBenchmarks
{
    [Params(64, 1000)]
    public int Units { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Windows scored per operation: 4 for small populations (tens of ms each), 1 for large ones (seconds).</summary>
    public static int WindowsPerOperation(int units) => units >= 256 ? 1 : 4;

    private NuclrModelOptions _options = null!;
    private List<float[]> _windows = null!;
    private InferenceSession _session = null!;
    private RunOptions _runOptions = null!;
    private ITransformer _mlModel = null!;
    private IDataView _mlRows = null!;
    private nn.Module<Tensor, Tensor, Tensor> _encoder = null!;
    private string _onnxFile = "";

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureAvailable();
        set_num_threads(Threads);
        var artifact = NuclrBench.UntrainedPaperArtifact();
        _options = NuclrModelOptions.FromArtifact(artifact);
        int windows = WindowsPerOperation(Units);
        var recording = NuclrBench.Session(Units, windows * _options.Sampling.WindowSeconds);
        _windows = NuclrEmbedder.WindowCounts(_options, recording).Take(windows).ToList();
        if (_windows.Count != windows) throw new InvalidOperationException($"expected {windows} windows, got {_windows.Count}");
        var onnx = artifact.OnnxModel!.Value.ToArray();

        using (var sessionOptions = new SessionOptions { IntraOpNumThreads = Threads, InterOpNumThreads = 1 })
            _session = new InferenceSession(onnx, sessionOptions);
        _runOptions = new RunOptions();

        // ML.NET's OnnxOptions (the overload that takes thread counts) reads the graph from a file.
        _onnxFile = Path.Combine(Path.GetTempPath(), $"mlneuro-bench-nuclr-{Environment.ProcessId}-{Units}-{Threads}.onnx");
        File.WriteAllBytes(_onnxFile, onnx);
        var ml = new MLContext(seed: 0);
        _mlRows = ml.Data.LoadFromEnumerable(_windows.Select(w => new NuclrWindowRow { Counts = w }).ToList());
        _mlModel = ml.Transforms.ApplyOnnxModel(new OnnxOptions
        {
            ModelFile = _onnxFile,
            InputColumns = new[] { "counts" },
            OutputColumns = new[] { "embedding" },
            IntraOpNumThreads = Threads,
            InterOpNumThreads = 1,
        }).Fit(_mlRows);

        _encoder = NuclrEmbedder.LoadEncoder(artifact, _options);

        // Same weights, same inputs: the engines must agree (the library's parity tests hold them to ~1e-6).
        var viaOrt = Ort(_windows[0]);
        var viaTorch = Torch(_windows[0]);
        var viaMl = _mlModel.Transform(_mlRows).GetColumn<float[]>("embedding").First();
        double maxTorch = viaOrt.Zip(viaTorch, (a, b) => Math.Abs(a - b)).Max();
        double maxMl = viaOrt.Zip(viaMl, (a, b) => Math.Abs(a - b)).Max();
        Console.WriteLine($"// load average (1, 5, 15 min): {NuclrReport.LoadAverage()}");
        Console.WriteLine($"// {Units} units, {windows} window(s) of [{Units} x {_options.Encoder.PatchCount} x {_options.Encoder.BinsPerPatch}], "
            + $"threads {Threads}; max |ORT - TorchSharp| = {maxTorch:E2}, max |ORT - ML.NET| = {maxMl:E2}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _session.Dispose();
        _runOptions.Dispose();
        _encoder.Dispose();
        (_mlModel as IDisposable)?.Dispose();
        File.Delete(_onnxFile);
    }

    [Benchmark(Description = "ONNX Runtime InferenceSession (NuclrEmbedder.Embed's path)")]
    public float OnnxRuntime()
    {
        float check = 0;
        foreach (var w in _windows) check += Ort(w)[0];
        return check;
    }

    [Benchmark(Description = "ML.NET ApplyOnnxModel (one row per window)")]
    public float MlNet()
    {
        float check = 0;
        foreach (var embedding in _mlModel.Transform(_mlRows).GetColumn<float[]>("embedding")) check += embedding[0];
        return check;
    }

    [Benchmark(Description = "TorchSharp eager (no_grad, eval)")]
    public float TorchSharpEager()
    {
        float check = 0;
        foreach (var w in _windows) check += Torch(w)[0];
        return check;
    }

    private float[] Ort(float[] flat)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(flat, new long[] { 1, flat.Length });
        using var outputs = _session.Run(_runOptions, new[] { "counts" }, new[] { input }, new[] { "embedding" });
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private float[] Torch(float[] flat)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var counts = tensor(flat, new long[] { 1, Units, _options.Encoder.PatchCount, _options.Encoder.BinsPerPatch });
        var mask = ones(new long[] { 1, Units }, ScalarType.Bool);
        return _encoder.forward(counts, mask).reshape(-1).data<float>().ToArray();
    }
}

/// <summary>An ML.NET row: one window's [units, patches, bins] counts flattened (variable length, no VectorType).</summary>
public sealed class NuclrWindowRow
{
    [ColumnName("counts")]
    public float[] Counts { get; set; } = Array.Empty<float>();
}
