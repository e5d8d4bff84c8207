namespace MLNeuro.Loaders.Tests;

public sealed class DatasetRoundTripTests
{
    internal static Recording SmallRecording(string session = "s1", string subject = "m1")
    {
        var b = new RecordingBuilder(session, subject);
        var meta = new Dictionary<string, string?> { ["depth_um"] = "120", ["tetrode"] = null };
        int a = b.AddUnit(new UnitInfo("a", "CA1", "pyramidal", meta));
        int c = b.AddUnit(new UnitInfo("c", null, null));
        int d = b.AddUnit(new UnitInfo("d", "CA3"));
        b.AddSpikes(a, new[] { 0.5, 0.1, 0.3, 0.3 });
        b.AddSpikes(d, new[] { 0.3, 0.9 });
        b.SetBehavior(new BehaviorSeries(new[] { 0.0, 0.5, 1.0 }, new[] { "x", "y" }, new[] { new[] { 1f, 2f, float.NaN }, new[] { 3f, 4f, 5f } }));
        b.AddInterval(new Interval(0.0, 0.6, "trial", "left"));
        b.AddInterval(new Interval(0.6, 1.2, "trial", null));
        b.SetDomain(0, 1.5);
        _ = c;
        return b.Build();
    }

    [Fact]
    public void Builder_sorts_spikes_by_time_then_unit()
    {
        var r = SmallRecording();
        Assert.Equal(new[] { 0.1, 0.3, 0.3, 0.3, 0.5, 0.9 }, r.Spikes.Timestamps.ToArray());
        Assert.Equal(new[] { 0, 0, 0, 2, 0, 2 }, r.Spikes.UnitIndices.ToArray());
        Assert.Equal(new[] { 4, 0, 2 }, r.Spikes.CountPerUnit());
    }

    [Fact]
    public void Write_then_read_returns_the_same_recording()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("ds");
        var original = SmallRecording();
        using (var w = DatasetWriter.Create(path, new DatasetWriterOptions { RowGroupSize = 4, Provenance = new Dictionary<string, string> { ["source"] = "unit test" } }))
        {
            w.WriteRecording(original);
            w.WriteRecording(SmallRecording("s2", "m2"));
            w.Commit();
        }
        var ds = NeuralDataset.Open(path);
        Assert.Equal(new[] { "s1", "s2" }, ds.Sessions.Select(s => s.SessionId));
        Assert.Equal("unit test", ds.Manifest.Provenance["source"]);
        Assert.Equal(6, ds.Units.Count);
        Assert.Equal(12, ds.SpikeCount);
        var r = ds.ReadRecording("s1");
        Assert.Equal(original.Spikes.Timestamps.ToArray(), r.Spikes.Timestamps.ToArray());
        Assert.Equal(original.Spikes.UnitIndices.ToArray(), r.Spikes.UnitIndices.ToArray());
        Assert.Equal(0, r.StartSeconds);
        Assert.Equal(1.5, r.EndSeconds);
        Assert.Equal("CA1", r.Units[0].BrainRegion);
        Assert.Equal("pyramidal", r.Units[0].CellType);
        Assert.Equal("120", r.Units[0].GetMetadata("depth_um"));
        Assert.Null(r.Units[0].GetMetadata("tetrode"));
        Assert.Null(r.Units[1].BrainRegion);
        Assert.Equal(new[] { 1f, 2f, float.NaN }, r.Behavior!.Channel("x").ToArray());
        Assert.Equal(2, r.Intervals.Count);
        Assert.Equal("left", r.Intervals[0].Label);
        Assert.Null(r.Intervals[1].Label);
        Assert.Equal(4, ds.Units.Single(u => u.SessionId == "s1" && u.Unit.UnitId == "a").SpikeCount);
    }

    [Fact]
    public void Spike_chunks_stream_row_groups_in_order()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("ds");
        using (var w = DatasetWriter.Create(path, new DatasetWriterOptions { RowGroupSize = 4 }))
        {
            w.WriteRecording(SmallRecording());
            w.Commit();
        }
        var ds = NeuralDataset.Open(path);
        var sizes = ds.ReadSpikeChunks("s1").Select(c => c.Timestamps.Length).ToArray();
        Assert.Equal(new[] { 4, 2 }, sizes);
    }

    [Fact]
    public void Existing_dataset_is_refused_without_overwrite_and_replaced_with_it()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("ds");
        using (var w = DatasetWriter.Create(path))
        {
            w.WriteRecording(SmallRecording("old"));
            w.Commit();
        }
        var e = Assert.Throws<IOException>(() => DatasetWriter.Create(path));
        Assert.Contains("already exists", e.Message);
        Assert.Equal("old", NeuralDataset.Open(path).Sessions.Single().SessionId);
        using (var w = DatasetWriter.Create(path, new DatasetWriterOptions { Overwrite = true }))
        {
            w.WriteRecording(SmallRecording());
            w.Commit();
        }
        Assert.Equal("s1", NeuralDataset.Open(path).Sessions.Single().SessionId);
        Assert.Single(Directory.GetFileSystemEntries(tmp.Path));
    }

    [Fact]
    public void Abandoned_writer_leaves_nothing_behind()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("ds");
        using (var w = DatasetWriter.Create(path))
        {
            w.WriteRecording(SmallRecording());
            using var s = w.BeginSession("s9", "m", SmallRecording().Units);
            s.AppendSpikes(new[] { 1.0 }, new[] { 0 });
            // no Complete, no Commit: as if an exception escaped
        }
        Assert.Empty(Directory.GetFileSystemEntries(tmp.Path));
    }

    [Fact]
    public void Truncated_spike_file_is_reported_with_its_name()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("ds");
        using (var w = DatasetWriter.Create(path))
        {
            w.WriteRecording(SmallRecording());
            w.Commit();
        }
        var file = Directory.GetFiles(Path.Combine(path, "spikes")).Single();
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..(bytes.Length / 2)]);
        var ds = NeuralDataset.Open(path);
        var e = Assert.Throws<DataFormatException>(() => ds.ReadRecording("s1"));
        Assert.Contains("s1.parquet", e.Message);
        Assert.Contains("truncated or corrupt", e.Message);
    }

    [Fact]
    public void Slice_keeps_only_events_inside_the_window()
    {
        var r = SmallRecording().Slice(0.3, 0.6);
        Assert.Equal(new[] { 0.3, 0.3, 0.3, 0.5 }, r.Spikes.Timestamps.ToArray());
        Assert.Equal(new[] { 0.5 }, r.Behavior!.Timestamps.ToArray());
        Assert.Single(r.Intervals);
        Assert.Equal(0.3, r.Intervals[0].Start);
        Assert.Equal(0.3, r.StartSeconds);
        Assert.Equal(0.6, r.EndSeconds);
    }

    [Theory]
    [InlineData(DatasetCompression.None)]
    [InlineData(DatasetCompression.Snappy)]
    public void Both_compressions_round_trip_and_snappy_is_smaller(DatasetCompression compression)
    {
        using var tmp = new TempFolder();
        var rng = new Random(11);
        var b = new RecordingBuilder("big", "m");
        for (int u = 0; u < 50; u++) b.AddUnit(new UnitInfo($"u{u}"));
        for (int i = 0; i < 200_000; i++) b.AddSpike(rng.Next(50), rng.NextDouble() * 1000);
        var recording = b.Build();
        var path = tmp.Combine("ds");
        using (var w = DatasetWriter.Create(path, new DatasetWriterOptions { Compression = compression }))
        {
            w.WriteRecording(recording);
            w.Commit();
        }
        var back = NeuralDataset.Open(path).ReadRecording("big");
        Assert.Equal(recording.Spikes.Timestamps.ToArray(), back.Spikes.Timestamps.ToArray());
        Assert.Equal(recording.Spikes.UnitIndices.ToArray(), back.Spikes.UnitIndices.ToArray());
        double bytesPerSpike = new FileInfo(Directory.GetFiles(Path.Combine(path, "spikes")).Single()).Length / 200_000.0;
        // Uncompressed: 8 B of timestamp + 4 B of unit index, PLAIN; Snappy over delta-packed units and split doubles: clearly less.
        if (compression == DatasetCompression.None) Assert.InRange(bytesPerSpike, 11.5, 12.5);
        else Assert.InRange(bytesPerSpike, 3, 8.5);
    }

    [Fact]
    public void Interval_metadata_round_trips_and_reserved_names_are_refused()
    {
        using var tmp = new TempFolder();
        var b = new RecordingBuilder("s", "m");
        b.AddUnit(new UnitInfo("u"));
        b.AddInterval(new Interval(0, 1, "trial", "a") { Metadata = new Dictionary<string, string?> { ["contrast"] = "0.5", ["feedback"] = "1" } });
        b.AddInterval(new Interval(1, 2, "trial") { Metadata = new Dictionary<string, string?> { ["contrast"] = "0.25" } });
        b.AddInterval(new Interval(2, 3, "epoch"));
        var path = tmp.Combine("ds");
        using (var w = DatasetWriter.Create(path))
        {
            w.WriteRecording(b.Build());
            w.Commit();
        }
        var back = NeuralDataset.Open(path).IntervalsOf("s");
        Assert.Equal("0.5", back[0].GetMetadata("contrast"));
        Assert.Equal("1", back[0].GetMetadata("feedback"));
        Assert.Equal("0.25", back[1].GetMetadata("contrast"));
        Assert.Null(back[1].GetMetadata("feedback"));
        Assert.Null(back[2].Metadata);

        using var w2 = DatasetWriter.Create(tmp.Combine("ds2"));
        using var session = w2.BeginSession("s", "m", new UnitTable(new[] { new UnitInfo("u") }));
        var e = Assert.Throws<ArgumentException>(() => session.AddIntervals(new[]
        {
            new Interval(0, 1, "trial") { Metadata = new Dictionary<string, string?> { ["kind"] = "x" } },
        }));
        Assert.Contains("'kind'", e.Message);
    }
}
