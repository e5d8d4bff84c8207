using BenchmarkDotNet.Running;

namespace MLNeuro.Benchmarks;

/// <summary>
/// <c>./build.sh bench</c> runs everything; pass BenchmarkDotNet arguments to choose, e.g.
/// <c>./build.sh bench --filter '*SpikeRead*'</c>. After the run, a table of spikes per second is printed.
/// </summary>
internal static class Program
{
    private static void Main(string[] args)
    {
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        foreach (var summary in summaries) ThroughputTable.Print(summary);
    }
}
