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

/// <summary>Prints the median of each benchmark as millions of spikes per second, for README.md.</summary>
internal static class ThroughputTable
{
    /// <summary>Spikes handled by one operation; set in GlobalSetup (same process for in-process runs, else re-read below).</summary>
    public static long SpikesPerOperation { get; set; }

    public static void Print(Summary summary)
    {
        // GlobalSetup runs in the benchmark's own process, so the host recounts: each class knows its workload.
        bool tokenization = summary.BenchmarksCases.Any(c => c.Descriptor.Type == typeof(TokenizationBenchmarks));
        long spikes = SpikesPerOperation > 0 ? SpikesPerOperation
            : tokenization ? TokenizationBenchmarks.SpikeCount()
            : MLNeuro.Loaders.NeuralDataset.Open(BenchmarkData.Folder).SpikeCount;
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine($"| benchmark ({spikes:N0} spikes) | median | M spikes/s |");
        Console.WriteLine("|---|---|---|");
        foreach (var report in summary.Reports)
        {
            var stats = report.ResultStatistics;
            if (stats is null) continue;
            double seconds = stats.Median / 1e9;
            Console.WriteLine(string.Create(c, $"| {report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo} | {seconds:F3} s | {spikes / seconds / 1e6:F0} |"));
        }
    }
}
