using DuckDB.NET.Data;

namespace MLNeuro.Loaders.Tests;

/// <summary>The dataset format is plain Parquet: another engine reads it without MLNeuro.</summary>
public sealed class DuckDbInteropTests
{
    [Fact]
    public void DuckDb_reads_the_spike_and_unit_tables_with_the_same_counts_and_sums()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("ds");
        var rng = new Random(3);
        var recordings = new List<Recording>();
        using (var writer = DatasetWriter.Create(path, new DatasetWriterOptions { RowGroupSize = 1000 }))
        {
            for (int s = 0; s < 3; s++)
            {
                var b = new RecordingBuilder($"session {s}/odd:name", $"subject{s % 2}");
                for (int u = 0; u < 5; u++) b.AddUnit(new UnitInfo($"u{u}", u % 2 == 0 ? "CA1" : "CA3"));
                for (int i = 0; i < 2500; i++) b.AddSpike(rng.Next(5), rng.NextDouble() * 100);
                var r = b.Build();
                recordings.Add(r);
                writer.WriteRecording(r);
            }
            writer.Commit();
        }

        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        var glob = Path.Combine(path, "spikes", "*.parquet").Replace("'", "''");
        command.CommandText = $"SELECT count(*), sum(timestamp), count(DISTINCT session_id), max(unit_index) FROM read_parquet('{glob}')";
        using (var reader = command.ExecuteReader())
        {
            Assert.True(reader.Read());
            Assert.Equal(7500L, reader.GetInt64(0));
            double expectedSum = recordings.Sum(r => SumOf(r.Spikes.Timestamps));
            Assert.Equal(expectedSum, reader.GetDouble(1), 6);
            Assert.Equal(3L, reader.GetInt64(2));
            Assert.Equal(4, reader.GetInt32(3));
        }

        command.CommandText = $"SELECT brain_region, count(*) FROM read_parquet('{Path.Combine(path, "units.parquet")}') GROUP BY 1 ORDER BY 1";
        using (var reader = command.ExecuteReader())
        {
            Assert.True(reader.Read());
            Assert.Equal("CA1", reader.GetString(0));
            Assert.Equal(9L, reader.GetInt64(1));
            Assert.True(reader.Read());
            Assert.Equal("CA3", reader.GetString(0));
            Assert.Equal(6L, reader.GetInt64(1));
        }
    }

    private static double SumOf(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (var v in values) sum += v;
        return sum;
    }
}
