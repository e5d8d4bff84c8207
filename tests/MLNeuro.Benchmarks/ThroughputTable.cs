using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;

namespace MLNeuro.Benchmarks;

/// <summary>Few, long iterations: each operation touches millions of spikes (seconds), so BenchmarkDotNet's defaults would take hours.</summary>
public sealed class ThroughputConfig : ManualConfig
{
    public ThroughputConfig()
    {
        AddJob(Job.Default.WithWarmupCount(1).WithIterationCount(5).WithLaunchCount(1).WithInvocationCount(1).WithUnrollFactor(1));
    }
}

/// <summary>
/// Prints the median of each benchmark as millions of spikes per second, one table per benchmark class. BenchmarkDotNet
/// runs each class's GlobalSetup in a child process, so the setup records its spike count in a small file under
/// <c>artifacts/throughput/</c> (<see cref="Record"/>) that this parent process reads back per class.
/// </summary>
internal static class ThroughputTable
{
    private static string Folder { get; } = Path.Combine(BenchmarkData.RepositoryRoot(), "artifacts", "throughput");

    /// <summary>
    /// Called from a benchmark class's GlobalSetup: the number of spikes one operation of that class handles. Pass the class
    /// with typeof, not GetType(): in the child process the instance is of a generated subclass.
    /// </summary>
    public static void Record(Type benchmarks, long spikesPerOperation)
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(PathFor(benchmarks), spikesPerOperation.ToString(CultureInfo.InvariantCulture));
        Console.WriteLine($"// {spikesPerOperation:N0} spikes per operation, recorded in {PathFor(benchmarks)}");
    }

    public static void Print(Summary summary)
    {
        var c = CultureInfo.InvariantCulture;
        foreach (var group in summary.Reports.GroupBy(r => r.BenchmarkCase.Descriptor.Type))
        {
            string file = PathFor(group.Key);
            if (!File.Exists(file))
            {
                Console.WriteLine($"// {group.Key.Name}: no spike count recorded in {file}");
                continue;
            }
            long spikes = long.Parse(File.ReadAllText(file), c);
            Console.WriteLine();
            Console.WriteLine($"| {group.Key.Name} ({spikes:N0} spikes per operation) | median | M spikes/s |");
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

    private static string PathFor(Type benchmarks) => Path.Combine(Folder, benchmarks.Name + ".spikes");
}
