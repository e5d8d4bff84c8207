using System.Diagnostics;
using System.Globalization;
using MLNeuro.Estimators;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Synthetic;

namespace MLNeuro.Benchmarks;

/// <summary>
/// The NuCLR issue's memory goal (embedding a recording of 1,000 units x 10 minutes stays under 2 GiB), measured in a
/// clean process. <c>memory</c> generates, once, the synthetic dataset (1 subject, 1 session) and an untrained
/// paper-config artifact under <c>artifacts/bench-data/</c>, then starts this program again as <c>memory-embed</c>,
/// which only reads the artifact and the dataset and embeds every unit with <see cref="NuclrEmbedder.Embed"/> (ONNX
/// Runtime; or <c>--engine torch</c> for the TorchSharp path, <c>--engine onnx-noarena</c> for ONNX Runtime without its
/// memory arena). The child prints its resident set before and after
/// (VmRSS, and the peak VmHWM from /proc/self/status), so generation and artifact export are outside the figure.
/// </summary>
/// <example><code>
/// dotnet run -c Release --project tests/MLNeuro.Benchmarks -- memory [--units 1000] [--seconds 600] [--engine onnx|torch]
/// </code></example>
internal static class NuclrMemory
{
    public static int Run(string[] args)
    {
        int units = int.Parse(ConsoleArgs.Option(args, "--units", "1000"), CultureInfo.InvariantCulture);
        double seconds = double.Parse(ConsoleArgs.Option(args, "--seconds", "600"), CultureInfo.InvariantCulture);
        string engine = ConsoleArgs.Option(args, "--engine", "onnx");
        var root = Path.Combine(BenchmarkData.RepositoryRoot(), "artifacts", "bench-data");
        var data = Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"nuclr-memory-{units}x{seconds}s"));
        var artifactPath = Path.Combine(root, "nuclr-paper-untrained.zip");

        if (!File.Exists(Path.Combine(data, "dataset.json")))
        {
            var clock = Stopwatch.StartNew();
            SyntheticDataset.Write(new SyntheticOptions
            {
                Subjects = 1,
                SessionsPerSubject = 1,
                UnitsPerSession = units,
                DurationSeconds = seconds,
                Seed = 2026,
                MaxDegreeOfParallelism = 2,
            }, data, new DatasetWriterOptions { Overwrite = true });
            Console.WriteLine($"// generated {data} in {clock.Elapsed.TotalSeconds:F1} s");
        }
        if (!File.Exists(artifactPath))
        {
            NuclrBench.UntrainedPaperArtifact().Write(artifactPath);
            Console.WriteLine($"// wrote {artifactPath}");
        }
        var dataset = NeuralDataset.Open(data);
        Console.WriteLine($"// dataset: {dataset.Units.Count} units, {dataset.SpikeCount:N0} spikes, {dataset.Sessions[0].DurationSeconds} s; "
            + $"artifact {new FileInfo(artifactPath).Length / 1e6:F1} MB");

        var exe = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var start = new ProcessStartInfo(exe) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(exe) == "dotnet") start.ArgumentList.Add(typeof(NuclrMemory).Assembly.Location);
        foreach (var a in new[] { "memory-embed", data, artifactPath, engine }) start.ArgumentList.Add(a);
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {exe}");
        child.WaitForExit();
        return child.ExitCode;
    }

    /// <summary>The measured child: reads, embeds, reports memory. Arguments: dataset folder, artifact, engine.</summary>
    public static int Embed(string[] args)
    {
        string data = args[1], artifactPath = args[2], engine = args.Length > 3 ? args[3] : "onnx";
        Console.WriteLine($"// load average (1, 5, 15 min): {NuclrReport.LoadAverage()}");
        Report("process start");
        var artifact = ModelArtifact.Read(artifactPath);
        var dataset = NeuralDataset.Open(data);
        Report("artifact read, dataset opened");

        var clock = Stopwatch.StartNew();
        var dim = engine switch
        {
            "torch" => EmbedWithTorch(artifact, dataset).Dimension,
            "onnx-noarena" => EmbedWithoutArena(artifact, dataset),
            _ => NuclrEmbedder.Embed(artifact, dataset).Dimension,
        };
        clock.Stop();

        var options = NuclrModelOptions.FromArtifact(artifact);
        var session = dataset.Sessions[0];
        int windows = (int)Math.Floor((session.EndSeconds - session.StartSeconds) / options.Sampling.WindowSeconds + 1e-9);
        Report("after embedding");
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        double hwm = StatusKiB("VmHWM") / 1024.0 / 1024.0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// engine {engine}: embedded {dataset.Units.Count} units ({dim} dims) over {windows} windows of {options.Sampling.WindowSeconds} s "
            + $"in {clock.Elapsed.TotalSeconds:F1} s ({clock.Elapsed.TotalMilliseconds / Math.Max(1, windows):F0} ms/window)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// peak resident memory: VmHWM {hwm:F2} GiB, Process.PeakWorkingSet64 {self.PeakWorkingSet64 / 1024.0 / 1024 / 1024:F2} GiB "
            + $"(goal: under 2 GiB: {(hwm < 2 ? "met" : "NOT met")}); libtorch loaded: {LibTorchLoaded()}"));
        return 0;
    }

    // Kept apart so that the ONNX path never JIT-compiles a method that touches TorchSharp.
    private static FeatureTable EmbedWithTorch(ModelArtifact artifact, NeuralDataset dataset) => NuclrEmbedder.EmbedWithTorch(artifact, dataset);

    /// <summary>
    /// Investigation only: Embed's loop (every window of each session through the artifact's graph, summed per unit)
    /// with ONNX Runtime's CPU memory arena and memory-pattern planning off, to see how much of the peak they hold.
    /// </summary>
    private static int EmbedWithoutArena(ModelArtifact artifact, NeuralDataset dataset)
    {
        var options = NuclrModelOptions.FromArtifact(artifact);
        using var sessionOptions = new Microsoft.ML.OnnxRuntime.SessionOptions { EnableCpuMemArena = false, EnableMemoryPattern = false };
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(artifact.OnnxModel!.Value.ToArray(), sessionOptions);
        using var run = new Microsoft.ML.OnnxRuntime.RunOptions();
        foreach (var entry in dataset.Sessions)
        {
            var recording = dataset.ReadRecording(entry.SessionId, RecordingParts.Spikes);
            var sums = new double[recording.Units.Count * options.Encoder.Dim];
            foreach (var flat in NuclrEmbedder.WindowCounts(options, recording))
            {
                using var input = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(flat, new long[] { 1, flat.Length });
                using var outputs = session.Run(run, new[] { "counts" }, new[] { input }, new[] { "embedding" });
                var embedding = outputs[0].GetTensorDataAsSpan<float>();
                for (int i = 0; i < sums.Length; i++) sums[i] += embedding[i];
            }
        }
        return options.Encoder.Dim;
    }

    private static void Report(string stage) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// {stage}: VmRSS {StatusKiB("VmRSS") / 1024.0:F0} MiB, VmHWM {StatusKiB("VmHWM") / 1024.0:F0} MiB, managed heap {GC.GetTotalMemory(false) / 1048576.0:F0} MiB"));

    /// <summary>A "Name:   123 kB" line of /proc/self/status, in KiB (-1 off Linux).</summary>
    private static long StatusKiB(string name)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return -1;
        foreach (var line in File.ReadLines(status))
            if (line.StartsWith(name + ":", StringComparison.Ordinal))
                return long.Parse(line[(name.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return -1;
    }

    private static bool LibTorchLoaded() =>
        File.Exists("/proc/self/maps") && File.ReadLines("/proc/self/maps").Any(l => l.Contains("libtorch", StringComparison.Ordinal));
}
