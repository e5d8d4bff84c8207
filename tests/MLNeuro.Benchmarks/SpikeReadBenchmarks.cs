using BenchmarkDotNet.Attributes;
using DuckDB.NET.Data;
using MLNeuro.Loaders;
using MLNeuro.Transforms;

namespace MLNeuro.Benchmarks;

/// <summary>
/// Issue 2's I/O figures: read a &gt;= 50 M-spike dataset from Parquet into per-session spike trains, bin it into
/// 20 ms counts, and in the same run the peers: DuckDB's scan of the same Parquet files (count and sum of
/// timestamps) and a plain <c>Span.CopyTo</c> of the same bytes (the memory-bandwidth ceiling).
/// Each benchmark processes every spike of the dataset once; ThroughputTable divides by the spike count.
/// </summary>
[Config(typeof(ThroughputConfig))]
public class SpikeReadBenchmarks
{
    private NeuralDataset _dataset = null!;
    private SpikeTrain[] _trains = null!;
    private float[] _counts = null!;
    private byte[] _copySource = null!, _copyTarget = null!;
    private DuckDBConnection _duck = null!;
    private string _glob = "";

    [GlobalSetup]
    public void Setup()
    {
        _dataset = BenchmarkData.OpenOrCreate();
        _trains = _dataset.ReadRecordings(RecordingParts.Spikes).Select(r => r.Spikes).ToArray();
        long spikes = _trains.Sum(t => (long)t.Count);
        ThroughputTable.Record(typeof(SpikeReadBenchmarks), spikes);
        int maxUnits = _trains.Max(t => t.UnitCount);
        // One 60 s chunk of 20 ms bins per unit, reused: the layout NuCLR and MtM consume, sized like a real window batch.
        _counts = new float[maxUnits * BinsPerChunk];
        _copySource = new byte[spikes * (sizeof(double) + sizeof(int))];
        new Random(1).NextBytes(_copySource);
        _copyTarget = new byte[_copySource.Length];
        _duck = new DuckDBConnection("DataSource=:memory:");
        _duck.Open();
        _glob = Path.Combine(_dataset.Path, "spikes", "*.parquet");
    }

    [GlobalCleanup]
    public void Cleanup() => _duck.Dispose();

    private const double BinSeconds = 0.02;
    private const int BinsPerChunk = 3000;

    [Benchmark(Description = "MLNeuro: read spike trains (1 thread)")]
    public long ReadSpikeTrains()
    {
        long total = 0;
        foreach (var s in _dataset.Sessions) total += _dataset.ReadRecording(s.SessionId, RecordingParts.Spikes).Spikes.Count;
        return total;
    }

    [Benchmark(Description = "MLNeuro: read spike trains (2 threads, by session)")]
    public long ReadSpikeTrainsParallel()
    {
        long total = 0;
        Parallel.ForEach(_dataset.Sessions, new ParallelOptions { MaxDegreeOfParallelism = 2 },
            s => Interlocked.Add(ref total, _dataset.ReadRecording(s.SessionId, RecordingParts.Spikes).Spikes.Count));
        return total;
    }

    [Benchmark(Description = "MLNeuro: stream row groups (1 thread)")]
    public long StreamSpikeChunks()
    {
        long total = 0;
        foreach (var s in _dataset.Sessions)
            foreach (var chunk in _dataset.ReadSpikeChunks(s.SessionId)) total += chunk.Timestamps.Length;
        return total;
    }

    [Benchmark(Description = "MLNeuro: bin 20 ms, in memory (1 thread)")]
    public long Bin20ms()
    {
        long total = 0;
        foreach (var train in _trains)
        {
            if (train.Count == 0) continue;
            double start = train.Timestamps[0], end = train.Timestamps[^1];
            for (double t = start; t <= end; t += BinSeconds * BinsPerChunk)
            {
                var target = _counts.AsSpan(0, train.UnitCount * BinsPerChunk);
                target.Clear();
                total += SpikeBinning.CountInto(train, t, BinSeconds, BinsPerChunk, target);
            }
        }
        return total;
    }

    [Benchmark(Description = "DuckDB: count + sum(timestamp) (2 threads)")]
    public double DuckDbScan() => DuckScan(2);

    [Benchmark(Description = "DuckDB: count + sum(timestamp) (1 thread)")]
    public double DuckDbScanOneThread() => DuckScan(1);

    [Benchmark(Description = "DuckDB: count + sum(timestamp) + sum(unit_index) (1 thread)")]
    public double DuckDbScanBothColumnsOneThread() => DuckScan(1, "sum(timestamp) + sum(unit_index)");

    private double DuckScan(int threads, string sum = "sum(timestamp)")
    {
        using var command = _duck.CreateCommand();
        command.CommandText = $"SET threads={threads}";
        command.ExecuteNonQuery();
        command.CommandText = $"SELECT count(*), {sum} FROM read_parquet('{_glob.Replace("'", "''")}')";
        using var reader = command.ExecuteReader();
        reader.Read();
        return reader.GetInt64(0) + reader.GetDouble(1);
    }

    [Benchmark(Description = "Reference: Span.CopyTo of the same bytes (12 B/spike)")]
    public int SpanCopy()
    {
        _copySource.AsSpan().CopyTo(_copyTarget);
        return _copyTarget[^1];
    }
}
