using BenchmarkDotNet.Running;

namespace MLNeuro.Benchmarks;

/// <summary>
/// <c>./build.sh bench</c> runs everything; pass BenchmarkDotNet arguments to choose, e.g.
/// <c>./build.sh bench --filter '*SpikeRead*'</c>. After the run, a table of spikes per second is printed (for the NuCLR
/// benchmarks: windows/s, FLOP/s against the matmul peak, ms per window per engine).
/// Console modes that are not BenchmarkDotNet runs:
/// <c>memory</c> (peak resident memory of embedding 1,000 units x 10 min, in a child process; see <see cref="NuclrMemory"/>)
/// <c>nuclr-profile</c> (where a NuCLR training step's time goes; see <see cref="NuclrProfile"/>),
/// <c>nuclr-supervised</c> (a supervised bound on what the encoder's input carries; see <see cref="NuclrSupervisedBound"/>),
/// <c>decode-baselines</c> (Wiener filter and MLP behaviour decoders, R² per channel; see <see cref="DecodeBaselines"/>) and
/// <c>poyo-throughput</c> (POYO tokens/s for training and inference, dense vs Mixture-of-Depths; see <see cref="PoyoThroughput"/>).
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
            case "nuclr-supervised": return NuclrSupervisedBound.Run(args);
            case "decode-baselines": return DecodeBaselines.Run(args);
            case "poyo-throughput": return PoyoThroughput.Run(args);
            case "region-context": return RegionContextBound.Run(args);
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
