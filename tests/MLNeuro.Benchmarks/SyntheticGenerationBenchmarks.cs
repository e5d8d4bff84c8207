using BenchmarkDotNet.Attributes;
using MLNeuro.Loaders.Synthetic;

namespace MLNeuro.Benchmarks;

/// <summary>
/// End-to-end synthetic generation (latents, trajectory, units, spikes, merge) of 8 sessions of 128 units x 600 s, with
/// one and two threads. Each operation generates the same recordings; ThroughputTable divides by their spike count.
/// </summary>
[Config(typeof(ThroughputConfig))]
public class SyntheticGenerationBenchmarks
{
    private static SyntheticOptions Options(int threads) => new()
    {
        Subjects = 4,
        SessionsPerSubject = 2,
        UnitsPerSession = 128,
        DurationSeconds = 600,
        Seed = 1,
        MaxDegreeOfParallelism = threads,
    };

    [GlobalSetup]
    public void Setup() => ThroughputTable.Record(typeof(SyntheticGenerationBenchmarks), Generate(1));

    [Benchmark(Description = "MLNeuro: synthetic generation (1 thread)")]
    public long OneThread() => Generate(1);

    [Benchmark(Description = "MLNeuro: synthetic generation (2 threads)")]
    public long TwoThreads() => Generate(2);

    private static long Generate(int threads)
    {
        long spikes = 0;
        foreach (var recording in SyntheticDataset.Generate(Options(threads))) spikes += recording.Spikes.Count;
        return spikes;
    }
}
