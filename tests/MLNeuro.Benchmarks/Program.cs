using BenchmarkDotNet.Running;

namespace MLNeuro.Benchmarks;

/// <summary>
/// Benchmarks: how <em>fast</em> or how <em>big</em> something is (time, throughput, memory). How <em>well</em>
/// something works (a model's quality, or a bound on what the data can tell) is a research experiment and lives in
/// <c>Examples/MLNeuro.Experiments</c>. So a performance measurement stays here even when BenchmarkDotNet cannot run
/// it (a child process's peak memory, a per-phase profile, a throughput table over a dataset): it is a console mode.
/// <para>
/// <c>./build.sh bench</c> runs every BenchmarkDotNet benchmark; pass BenchmarkDotNet arguments to choose, e.g.
/// <c>./build.sh bench --filter '*SpikeRead*'</c>. After the run, a table of spikes per second is printed (for the NuCLR
/// benchmarks: windows/s, FLOP/s against the matmul peak, ms per window per engine).
/// </para>
/// Console modes (<c>dotnet run -c Release --project tests/MLNeuro.Benchmarks -- MODE [--option value ...]</c>):
/// <c>memory</c> (peak resident memory of embedding 1,000 units x 10 min, in a child process that this program starts
/// as <c>memory-embed</c>; see <see cref="NuclrMemory"/>),
/// <c>nuclr-profile</c> (where a NuCLR training step's time goes; see <see cref="NuclrProfile"/>),
/// <c>poyo-throughput</c> (POYO tokens/s for training and inference, dense vs Mixture-of-Depths; see <see cref="PoyoThroughput"/>) and
/// <c>precision</c> (float32 against bfloat16 matmul and feed-forward rates, and bf16's error; see <see cref="PrecisionBenchmark"/>).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "memory": return NuclrMemory.Run(args);
            case "memory-embed": return NuclrMemory.Embed(args);
            case "nuclr-profile": return NuclrProfile.Run(args);
            case "poyo-throughput": return PoyoThroughput.Run(args);
            case "precision": return PrecisionBenchmark.Run(args);
        }
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        foreach (var summary in summaries)
        {
            if (NuclrReport.Handles(summary)) NuclrReport.Print(summary);
            else ThroughputTable.Print(summary);
        }
        return 0;
    }
}
