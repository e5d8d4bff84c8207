using BenchmarkDotNet.Attributes;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Synthetic;
using MLNeuro.Transforms;

namespace MLNeuro.Benchmarks;

/// <summary>
/// Issue 3's feature-extraction goal (10,000 units of 10 minutes each in under a minute on 2 cores): every feature of
/// every unit of 4 synthetic 10-minute sessions (1,000 units, the four cell types in their default shares), on 1 and 2
/// threads. Units per second = 1,000 / median; the 10,000-unit projection is 10 x the median. ThroughputTable reports
/// the same run as spikes per second. Run in-process (<c>--inProcess</c>) so the table knows the spike count.
/// </summary>
[Config(typeof(ThroughputConfig))]
public class NeuronFeatureBenchmarks
{
    private Recording[] _sessions = null!;

    /// <summary>Units over all sessions; one operation computes the features of each once.</summary>
    public const int Units = 1000;

    [GlobalSetup]
    public void Setup()
    {
        var options = new SyntheticOptions { Subjects = 2, SessionsPerSubject = 2, UnitsPerSession = Units / 4, DurationSeconds = 600, Seed = 7, MaxDegreeOfParallelism = 2 };
        _sessions = SyntheticDataset.Generate(options).ToArray();
        ThroughputTable.Record(typeof(NeuronFeatureBenchmarks), _sessions.Sum(s => (long)s.Spikes.Count));
        Console.WriteLine($"// {Units} units x 600 s, {_sessions.Sum(s => (long)s.Spikes.Count):N0} spikes");
    }

    [Benchmark(Description = "MLNeuro: neuron features, 1000 units x 10 min (1 thread)")]
    public float OneThread() => Run(1);

    [Benchmark(Description = "MLNeuro: neuron features, 1000 units x 10 min (2 threads)")]
    public float TwoThreads() => Run(2);

    private float Run(int threads)
    {
        var options = new NeuronFeatureOptions { MaxDegreeOfParallelism = threads };
        float check = 0;
        foreach (var session in _sessions) check += NeuronFeatures.ComputeAll(session, options)[0];
        return check;
    }
}
