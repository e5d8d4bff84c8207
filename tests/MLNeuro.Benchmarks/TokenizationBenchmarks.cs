using BenchmarkDotNet.Attributes;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Synthetic;
using MLNeuro.Transforms;

namespace MLNeuro.Benchmarks;

/// <summary>
/// Issue 3's tokenization figure beside binning: one synthetic 600 s session of 200 units, cut into 1 s windows; each
/// benchmark handles every window once (every spike once), into one reused buffer. ThroughputTable divides by the
/// session's spike count.
/// </summary>
[Config(typeof(ThroughputConfig))]
public class TokenizationBenchmarks
{
    private static readonly SyntheticOptions Session = new() { UnitsPerSession = 200, DurationSeconds = 600, Seed = 1 };
    private const double WindowSeconds = 1.0, BinSeconds = 0.02;
    private const int BinsPerWindow = 50;

    private Recording _recording = null!;
    private readonly SpikeTokens _tokens = new();
    private readonly SpikeTokenizerOptions _options = new();
    private float[] _counts = null!;
    private byte[] _copySource = null!, _copyTarget = null!;

    [GlobalSetup]
    public void Setup()
    {
        _recording = SyntheticDataset.GenerateSession(Session, 0, 0);
        ThroughputTable.Record(typeof(TokenizationBenchmarks), _recording.Spikes.Count);
        _counts = new float[_recording.Units.Count * BinsPerWindow];
        _copySource = new byte[_recording.Spikes.Count * (sizeof(double) + sizeof(int))];
        new Random(1).NextBytes(_copySource);
        _copyTarget = new byte[_copySource.Length];
    }

    [Benchmark(Description = "MLNeuro: tokenize 1 s windows, start/end for all units (1 thread)")]
    public long Tokenize()
    {
        long total = 0;
        for (double t = _recording.StartSeconds; t + WindowSeconds <= _recording.EndSeconds; t += WindowSeconds)
        {
            SpikeTokenizer.Tokenize(_recording, t, t + WindowSeconds, _options, _tokens);
            total += _tokens.Count;
        }
        return total;
    }

    [Benchmark(Description = "MLNeuro: bin 1 s windows at 20 ms (1 thread)")]
    public long Bin()
    {
        long total = 0;
        for (double t = _recording.StartSeconds; t + WindowSeconds <= _recording.EndSeconds; t += WindowSeconds)
        {
            _counts.AsSpan().Clear();
            total += SpikeBinning.CountInto(_recording.Spikes, t, BinSeconds, BinsPerWindow, _counts);
        }
        return total;
    }

    [Benchmark(Description = "Reference: Span.CopyTo of the same bytes (12 B/spike)")]
    public int SpanCopy()
    {
        _copySource.AsSpan().CopyTo(_copyTarget);
        return _copyTarget[^1];
    }
}
