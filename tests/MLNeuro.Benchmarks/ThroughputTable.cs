using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;

namespace MLNeuro.Benchmarks;

/// <summary>Few, long iterations: each operation touches 50 M+ spikes (seconds), so BenchmarkDotNet's defaults would take hours.</summary>
public sealed class ThroughputConfig : ManualConfig
{
    public ThroughputConfig()
    {
        AddJob(Job.Default.WithWarmupCount(1).WithIterationCount(5).WithLaunchCount(1).WithInvocationCount(1).WithUnrollFactor(1));
    }
}

/// <summary>
/// Prints the median of each benchmark as millions of spikes per second, for README.md. Each benchmark class records
/// the spikes one operation handles (<see cref="Record"/> in its GlobalSetup); since BenchmarkDotNet runs the setup in
/// a child process, the count travels through a small file under artifacts/bench-workload/.
/// </summary>
internal static class ThroughputTable
{
    private static string WorkloadFile(Type benchmark) =>
        Path.Combine(BenchmarkData.RepositoryRoot(), "artifacts", "bench-workload", benchmark.Name + ".txt");

    /// <summary>Records how many spikes one operation of <paramref name="benchmark"/> handles.</summary>
    public static void Record(Type benchmark, long spikes)
    {
        var file = WorkloadFile(benchmark);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, spikes.ToString(CultureInfo.InvariantCulture));
    }

    public static void Print(Summary summary)
    {
        var c = CultureInfo.InvariantCulture;
        foreach (var group in summary.Reports.GroupBy(r => r.BenchmarkCase.Descriptor.Type))
        {
            var file = WorkloadFile(group.Key);
            if (!File.Exists(file)) continue;
            long spikes = long.Parse(File.ReadAllText(file), c);
            Console.WriteLine();
            Console.WriteLine($"| {group.Key.Name} ({spikes:N0} spikes an operation) | median | M spikes/s |");
            Console.WriteLine("|---|---|---|");
            foreach (var report in group)
            {
                var stats = report.ResultStatistics;
                if (stats is null) continue;
                double seconds = stats.Median / 1e9;
                Console.WriteLine(string.Create(c, $"| {report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo} | {seconds:F3} s | {spikes / seconds / 1e6:F1} |"));
            }
        }
    }
}
