using System.Globalization;
using BenchmarkDotNet.Reports;

namespace MLNeuro.Benchmarks;

/// <summary>
/// Tables for the NuCLR benchmarks, printed after BenchmarkDotNet's summary: training throughput with the achieved
/// FLOP rate against the matmul peak of the same run and thread count, and inference ms per window per engine.
/// Everything is computed from the medians and the benchmarks' constants, so nothing has to cross processes.
/// </summary>
internal static class NuclrReport
{
    public static bool Handles(Summary summary) =>
        summary.Reports.Any(r => r.BenchmarkCase.Descriptor.Type == typeof(NuclrTrainingBenchmarks) || r.BenchmarkCase.Descriptor.Type == typeof(NuclrInferenceBenchmarks));

    public static void Print(Summary summary)
    {
        Console.WriteLine();
        Console.WriteLine($"// load average at the end of the run (1, 5, 15 min): {LoadAverage()}");
        var training = summary.Reports.Where(r => r.BenchmarkCase.Descriptor.Type == typeof(NuclrTrainingBenchmarks)).ToList();
        if (training.Count > 0) PrintTraining(training);
        var inference = summary.Reports.Where(r => r.BenchmarkCase.Descriptor.Type == typeof(NuclrInferenceBenchmarks)).ToList();
        if (inference.Count > 0) PrintInference(inference);
    }

    private static void PrintTraining(List<BenchmarkReport> reports)
    {
        var c = CultureInfo.InvariantCulture;
        var options = NuclrBench.PaperOptions(NuclrTrainingBenchmarks.Batch, NuclrTrainingBenchmarks.Views);
        double stepFlops = NuclrFlops.TrainingStep(options, NuclrTrainingBenchmarks.Batch, NuclrTrainingBenchmarks.Views, NuclrTrainingBenchmarks.Units);
        double squareFlops = 2.0 * Math.Pow(NuclrTrainingBenchmarks.Square, 3);
        var o = options.Encoder;
        double linearFlops = 2.0 * NuclrTrainingBenchmarks.Tokens * o.Dim * 2.0 * o.FfnMultiplier * o.Dim;
        int windows = NuclrTrainingBenchmarks.Batch * NuclrTrainingBenchmarks.Views;
        int unitWindows = windows * NuclrTrainingBenchmarks.Units;

        Console.WriteLine();
        Console.WriteLine(string.Create(c, $"NuCLR training step, paper config, batch {NuclrTrainingBenchmarks.Batch} x {NuclrTrainingBenchmarks.Views} views x {NuclrTrainingBenchmarks.Units} units "
            + $"({NuclrTrainingBenchmarks.Tokens} tokens), {stepFlops / 1e9:F1} GFLOP per step (matmul FLOPs, fwd + bwd, NuclrFlops)"));
        double dense = 6.0 * NuclrFlops.BlockWeights(o) * NuclrTrainingBenchmarks.Tokens;
        Console.WriteLine(string.Create(c, $"cross-check: 6 x {NuclrFlops.BlockWeights(o):N0} block weights x {NuclrTrainingBenchmarks.Tokens:N0} tokens = {dense / 1e9:F1} GFLOP; "
            + $"the other {(stepFlops - dense) / 1e9:F1} GFLOP are attention scores, patch embedding, projector and DCL"));
        Console.WriteLine("| threads | step median | windows/s | units/s | achieved GFLOP/s | matmul 2048^3 GFLOP/s | fraction of peak | linear [T x 256] -> 2048 GFLOP/s | fraction of model-shape linear |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var group in reports.GroupBy(r => Convert.ToInt32(r.BenchmarkCase.Parameters["Threads"], c)).OrderBy(g => g.Key))
        {
            double? step = Median(group, nameof(NuclrTrainingBenchmarks.TrainingStep));
            double? square = Median(group, nameof(NuclrTrainingBenchmarks.MatMulSquare));
            double? linear = Median(group, nameof(NuclrTrainingBenchmarks.LinearModelShape));
            if (step is null) continue;
            double achieved = stepFlops / step.Value;
            double? peak = square is null ? null : squareFlops / square.Value;
            double? shaped = linear is null ? null : linearFlops / linear.Value;
            Console.WriteLine(string.Create(c,
                $"| {group.Key} | {step:F3} s | {windows / step:F2} | {unitWindows / step:F0} | {achieved / 1e9:F1} | {Fmt(peak / 1e9)} | {Pct(achieved / peak)} | {Fmt(shaped / 1e9)} | {Pct(achieved / shaped)} |"));
        }
    }

    private static void PrintInference(List<BenchmarkReport> reports)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine("NuCLR inference, paper config, one 10 s window with every unit as context, same weights and inputs");
        Console.WriteLine("| units | threads | GFLOP/window | ONNX Runtime ms/window | ML.NET ApplyOnnxModel ms/window | TorchSharp eager ms/window | TorchSharp / ORT | TorchSharp / ML.NET | ORT GFLOP/s |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        var encoder = NuclrBench.PaperOptions().Encoder;
        var groups = reports.GroupBy(r => (Units: Convert.ToInt32(r.BenchmarkCase.Parameters["Units"], c), Threads: Convert.ToInt32(r.BenchmarkCase.Parameters["Threads"], c)));
        foreach (var group in groups.OrderBy(g => g.Key.Units).ThenBy(g => g.Key.Threads))
        {
            int windows = NuclrInferenceBenchmarks.WindowsPerOperation(group.Key.Units);
            double? ort = Median(group, nameof(NuclrInferenceBenchmarks.OnnxRuntime)) / windows * 1e3;
            double? ml = Median(group, nameof(NuclrInferenceBenchmarks.MlNet)) / windows * 1e3;
            double? torch = Median(group, nameof(NuclrInferenceBenchmarks.TorchSharpEager)) / windows * 1e3;
            double flops = NuclrFlops.EncoderForward(encoder, 1, group.Key.Units);
            Console.WriteLine(string.Create(c,
                $"| {group.Key.Units} | {group.Key.Threads} | {flops / 1e9:F1} | {Fmt(ort)} | {Fmt(ml)} | {Fmt(torch)} | {Ratio(torch / ort)} | {Ratio(torch / ml)} | {Fmt(flops / 1e6 / ort)} |"));
        }
    }

    /// <summary>/proc/loadavg's first three fields: other work on a shared machine skews every figure.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>Median seconds of the named benchmark method in the group.</summary>
    private static double? Median(IEnumerable<BenchmarkReport> group, string method)
    {
        var report = group.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method);
        return report?.ResultStatistics is { } stats ? stats.Median / 1e9 : null;
    }

    private static string Fmt(double? value) => value is { } v ? v.ToString(v >= 100 ? "F0" : "F1", CultureInfo.InvariantCulture) : "-";

    private static string Pct(double? value) => value is { } v ? (100 * v).ToString("F0", CultureInfo.InvariantCulture) + "%" : "-";

    private static string Ratio(double? value) => value is { } v ? v.ToString("F2", CultureInfo.InvariantCulture) : "-";
}
