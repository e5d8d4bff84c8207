namespace MLNeuro.Experiments;

/// <summary>
/// Research experiments: each mode measures how <em>well</em> something works (a model's quality, or a bound on what
/// the data can tell), and its figures are the ones quoted in <c>docs/results/</c>. How <em>fast</em> or how
/// <em>big</em> something is (time, throughput, memory) is a benchmark and belongs in <c>tests/MLNeuro.Benchmarks</c>,
/// whether it is a BenchmarkDotNet run or a console mode there.
/// <code>
/// dotnet run -c Release --project Examples/MLNeuro.Experiments -- MODE [--option value ...]
/// </code>
/// Modes:
/// <c>nuclr-supervised</c> (a supervised bound on what the NuCLR encoder's input carries; see <see cref="NuclrSupervisedBound"/>),
/// <c>region-context</c> (does a unit's population context carry its brain region; see <see cref="RegionContextBound"/>) and
/// <c>decode-baselines</c> (Wiener filter and MLP behaviour decoders, R² per channel; see <see cref="DecodeBaselines"/>).
/// </summary>
internal static class Program
{
    private const string Usage = "usage: mlneuro-experiments nuclr-supervised|region-context|decode-baselines [--option value ...]";

    private static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "nuclr-supervised": return NuclrSupervisedBound.Run(args);
            case "region-context": return RegionContextBound.Run(args);
            case "decode-baselines": return DecodeBaselines.Run(args);
            case null or "-h" or "--help":
                Console.WriteLine(Usage);
                return args.Length == 0 ? 2 : 0;
            default:
                Console.Error.WriteLine($"unknown mode '{args[0]}'; {Usage}");
                return 2;
        }
    }
}
