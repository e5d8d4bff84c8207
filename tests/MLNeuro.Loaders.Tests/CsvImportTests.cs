using System.Diagnostics;
using System.Globalization;
using MLNeuro.Loaders.Import;
using Xunit.Abstractions;

namespace MLNeuro.Loaders.Tests;

public sealed class CsvImportTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    private readonly ITestOutputHelper _output;

    public CsvImportTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _tmp.Dispose();

    private string Write(string name, string text)
    {
        var path = _tmp.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    private static double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    // ---------- real data: excerpts in tests/data (every clone) ----------

    private const string RatExcerpt = "rat-hippocampus-nelpy-excerpt";
    private const string SteinmetzExcerpt = "steinmetz2019-excerpt";

    [Fact]
    public void Linear_track_excerpt_imports_units_spikes_and_position()
    {
        var options = new CsvImportOptions
        {
            UnitsFile = TestData.File(RatExcerpt, "linear-track_units.csv"),
            SpikesFile = TestData.File(RatExcerpt, "linear-track_spikes.csv"),
            BehaviorFile = TestData.File(RatExcerpt, "linear-track_position.csv"),
            SessionId = "linear-track",
        };
        var r = Assert.Single(CsvImporter.Read(options));
        Assert.Equal("linear-track", r.SessionId);
        Assert.Equal("unknown", r.SubjectId);
        // Counts of the excerpt (the first 180 s of the session; see tests/data/rat-hippocampus-nelpy-excerpt/README.md).
        Assert.Equal(31, r.Units.Count);
        Assert.Equal(3_147, r.Spikes.Count);
        Assert.Equal(new[] { "cluster", "tetrode" }, r.Units.MetadataColumns);
        var first = r.Units[0];
        Assert.Equal("tt1_c1", first.UnitId);
        Assert.Equal("1", first.GetMetadata("tetrode"));
        Assert.Equal("1", first.GetMetadata("cluster"));

        // Per unit, against expected_units.csv (made by plain text splitting in make_excerpt.py): every unit of units.csv
        // is kept in file order, also the six that are silent in the excerpt.
        var expected = File.ReadAllLines(TestData.File(RatExcerpt, "expected_units.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(expected.Select(e => e[0]), r.Units.Select(u => u.UnitId));
        var counts = r.Spikes.CountPerUnit();
        var firstSpike = new double[r.Units.Count];
        var lastSpike = new double[r.Units.Count];
        for (int i = r.Spikes.Count - 1; i >= 0; i--) firstSpike[r.Spikes.UnitIndices[i]] = r.Spikes.Timestamps[i];
        for (int i = 0; i < r.Spikes.Count; i++) lastSpike[r.Spikes.UnitIndices[i]] = r.Spikes.Timestamps[i];
        for (int u = 0; u < expected.Length; u++)
        {
            Assert.Equal(int.Parse(expected[u][1], CultureInfo.InvariantCulture), counts[u]);
            if (counts[u] == 0) continue;
            Assert.Equal(Parse(expected[u][2]), firstSpike[u]);
            Assert.Equal(Parse(expected[u][3]), lastSpike[u]);
        }
        Assert.Equal(6, counts.Count(c => c == 0));

        var positionRows = File.ReadLines(options.BehaviorFile!).Skip(1).Count();
        Assert.Equal(10_801, positionRows);
        Assert.NotNull(r.Behavior);
        Assert.Equal(new[] { "x_px", "y_px" }, r.Behavior!.ChannelNames);
        Assert.Equal(positionRows, r.Behavior.Count);
        var firstPosition = File.ReadLines(options.BehaviorFile!).Skip(1).First().Split(',');
        Assert.Equal(Parse(firstPosition[0]), r.Behavior.Timestamps[0]);
        Assert.Equal(float.Parse(firstPosition[1], CultureInfo.InvariantCulture), r.Behavior.Channel("x_px")[0]);
        Assert.Equal(479f, r.Behavior.Channel("y_px")[0]); // the session starts with tracking lost at the frame edge
    }

    [Fact]
    public void Steinmetz_excerpt_imports_sessions_trials_and_region_groups()
    {
        var options = new CsvImportOptions
        {
            UnitsFile = TestData.File(SteinmetzExcerpt, "units.csv"),
            SpikesFile = TestData.File(SteinmetzExcerpt, "spikes.csv"),
            IntervalsFile = TestData.File(SteinmetzExcerpt, "trials.csv"),
        };
        var reports = new List<WorkProgress>();
        var recordings = CsvImporter.Read(options, new SynchronousProgress<WorkProgress>(reports.Add));

        // expected_sessions.csv (made by plain text splitting in make_excerpt.py): session, subject, units, spikes,
        // trials, and units per region group as "GROUP:n" sorted by name.
        var expected = File.ReadAllLines(TestData.File(SteinmetzExcerpt, "expected_sessions.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(expected.Select(e => e[0]), recordings.Select(r => r.SessionId));
        Assert.Equal(new[] { "Cori", "Forssmann", "Hench" }, recordings.Select(r => r.SubjectId));
        for (int s = 0; s < expected.Length; s++)
        {
            var (r, e) = (recordings[s], expected[s]);
            Assert.Equal(e[1], r.SubjectId);
            Assert.Equal(int.Parse(e[2], CultureInfo.InvariantCulture), r.Units.Count);
            Assert.Equal(int.Parse(e[3], CultureInfo.InvariantCulture), r.Spikes.Count);
            Assert.Equal(int.Parse(e[4], CultureInfo.InvariantCulture), r.Intervals.Count);
            Assert.Equal(new[] { "trial" }, r.Intervals.Kinds);
            var groups = r.Units.GroupBy(u => u.GetMetadata("region_group")!).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}:{g.Count()}");
            Assert.Equal(e[5], string.Join(' ', groups));
            // Counts were written as that many spikes at the bin centre, so every spike lies inside one of the trials.
            var trials = r.Intervals.ToArray();
            foreach (var t in r.Spikes.Timestamps.ToArray()) Assert.Contains(trials, i => i.Start <= t && t < i.End);
        }
        // The subset stores counts, so one unit can fire several times at the same bin centre; all of them are kept.
        var cori = recordings[0];
        Assert.Contains(Enumerable.Range(1, cori.Spikes.Count - 1),
            i => cori.Spikes.Timestamps[i] == cori.Spikes.Timestamps[i - 1] && cori.Spikes.UnitIndices[i] == cori.Spikes.UnitIndices[i - 1]);
        Assert.Equal("CTX", cori.Units[cori.Units.IndexOf("n0")].GetMetadata("region_group"));
        Assert.Equal("ACA", cori.Units[cori.Units.IndexOf("n0")].BrainRegion);

        // Trial conditions travel as interval metadata: the first trial of the file is Cori_2016-12-14 at 71.2077 s.
        var firstTrial = cori.Intervals[0];
        Assert.Equal(71.2077, firstTrial.Start);
        Assert.Equal(71.6077, firstTrial.End);
        Assert.Equal("0.0", firstTrial.GetMetadata("contrast_left"));
        Assert.Equal("0.5", firstTrial.GetMetadata("contrast_right"));
        Assert.Equal("1", firstTrial.GetMetadata("feedback_type"));

        var last = reports.Last(p => p.Stage == "reading spikes.csv");
        Assert.Equal(new FileInfo(options.SpikesFile).Length, last.Done);
    }

    // ---------- real data: the full recordings in ../shared/data (skipped where absent) ----------

    [SharedDataFact("rat-hippocampus-nelpy")]
    public void W_maze_imports_all_spikes()
    {
        var options = new CsvImportOptions
        {
            UnitsFile = SharedData.File("rat-hippocampus-nelpy", "w-maze_units.csv"),
            SpikesFile = SharedData.File("rat-hippocampus-nelpy", "w-maze_spikes.csv"),
            BehaviorFile = SharedData.File("rat-hippocampus-nelpy", "w-maze_position.csv"),
        };
        var r = Assert.Single(CsvImporter.Read(options));
        Assert.Equal("w-maze_spikes", r.SessionId); // default: the spikes file's stem
        Assert.Equal(25, r.Units.Count);
        Assert.Equal(518_352, r.Spikes.Count);
        var perUnit = File.ReadLines(options.SpikesFile).Skip(1).GroupBy(l => l[..l.IndexOf(',')]).ToDictionary(g => g.Key, g => g.Count());
        var counts = r.Spikes.CountPerUnit();
        for (int u = 0; u < r.Units.Count; u++)
            Assert.Equal(perUnit.GetValueOrDefault(r.Units[u].UnitId), counts[u]);
    }

    [SharedDataFact("steinmetz2019-subset")]
    public void Steinmetz_subset_imports_with_exact_counts()
    {
        var dir = SharedData.File("steinmetz2019-subset");
        var options = new CsvImportOptions
        {
            UnitsFile = Path.Combine(dir, "units.csv"),
            SpikesFile = Path.Combine(dir, "spikes.csv"),
            IntervalsFile = Path.Combine(dir, "trials.csv"),
        };
        var reports = new List<WorkProgress>();
        var progress = new SynchronousProgress<WorkProgress>(reports.Add);
        var watch = Stopwatch.StartNew();
        var recordings = CsvImporter.Read(options, progress);
        watch.Stop();
        const int expectedSpikes = 3_825_911;
        _output.WriteLine($"Steinmetz CSV read: {watch.Elapsed.TotalSeconds:F2} s, {expectedSpikes / watch.Elapsed.TotalSeconds / 1e6:F2} M spikes/s");

        Assert.Equal(11, recordings.Count);
        Assert.Equal(new[] { "Cori", "Forssmann", "Hench" }, recordings.Select(r => r.SubjectId).Distinct().Order());
        Assert.Equal(10_996, recordings.Sum(r => r.Units.Count));
        Assert.Equal(expectedSpikes, recordings.Sum(r => (long)r.Spikes.Count));
        Assert.All(recordings, r => Assert.Contains("region_group", r.Units.MetadataColumns));
        Assert.Equal("CTX", recordings[0].Units[recordings[0].Units.IndexOf("n0")].GetMetadata("region_group"));

        // Independent counts: plain string splitting of the same files.
        var spikesPerSession = File.ReadLines(options.SpikesFile).Skip(1).GroupBy(l => l[..l.IndexOf(',')]).ToDictionary(g => g.Key, g => g.Count());
        var trialsPerSession = File.ReadLines(options.IntervalsFile!).Skip(1).GroupBy(l => l[..l.IndexOf(',')]).ToDictionary(g => g.Key, g => g.Count());
        var sessionOrder = File.ReadLines(options.UnitsFile).Skip(1).Select(l => l.Split(',')[1]).Distinct().ToArray();
        Assert.Equal(sessionOrder, recordings.Select(r => r.SessionId));
        foreach (var r in recordings)
        {
            Assert.Equal(spikesPerSession[r.SessionId], r.Spikes.Count);
            Assert.Equal(trialsPerSession[r.SessionId], r.Intervals.Count);
            Assert.True(r.Intervals.Count > 0);
            Assert.Equal(new[] { "trial" }, r.Intervals.Kinds);
        }
        // Trial conditions travel as interval metadata: the first trial of the file is Cori_2016-12-14 at 71.2077 s,
        // contrast_left 0.0, contrast_right 0.5, feedback_type 1.
        var firstTrial = recordings.Single(r => r.SessionId == "Cori_2016-12-14").Intervals[0];
        Assert.Equal(71.2077, firstTrial.Start);
        Assert.Equal("0.0", firstTrial.GetMetadata("contrast_left"));
        Assert.Equal("0.5", firstTrial.GetMetadata("contrast_right"));
        Assert.Equal("1", firstTrial.GetMetadata("feedback_type"));

        Assert.Equal("reading spikes.csv", reports[0].Stage);
        var last = reports.Last(p => p.Stage == "reading spikes.csv");
        Assert.Equal(new FileInfo(options.SpikesFile).Length, last.Done);
        Assert.Equal(last.Total, last.Done);
    }

    // ---------- round trip ----------

    private (string Units, string Spikes, string Behavior, string Intervals) SmallFiles() => (
        Write("units.csv", "unit_id,subject_id,brain_region,cell_type,depth\r\nb,m1,CA1,,120\r\na,m1,,pyr,\r\nquiet,m1,\"CA3, dorsal\",,7\r\n"),
        Write("spikes.csv", "unit_id,timestamp\na,0.5\nb,0.2\na,0.2\nb,0.2\nb,0.9\na,0.1\n"),
        Write("pos.csv", "timestamp,x,y\n0.3,3,\n0.1,1,10\n0.2,2,NaN\n"),
        Write("trials.csv", "start,end,kind,label\n0.0,0.4,,left\n0.4,1.0,epoch,\n"));

    [Fact]
    public void Small_files_sort_spikes_by_time_then_unit_and_round_trip_through_a_dataset()
    {
        var (units, spikes, behavior, intervals) = SmallFiles();
        var options = new CsvImportOptions { UnitsFile = units, SpikesFile = spikes, BehaviorFile = behavior, IntervalsFile = intervals, SessionId = "s1" };
        var r = Assert.Single(CsvImporter.Read(options));
        Assert.Equal("m1", r.SubjectId);
        Assert.Equal(new[] { "b", "a", "quiet" }, r.Units.Select(u => u.UnitId));
        Assert.Equal(new[] { 0.1, 0.2, 0.2, 0.2, 0.5, 0.9 }, r.Spikes.Timestamps.ToArray());
        Assert.Equal(new[] { 1, 0, 0, 1, 1, 0 }, r.Spikes.UnitIndices.ToArray());
        Assert.Equal(new[] { 3, 3, 0 }, r.Spikes.CountPerUnit()); // the unit without spikes is kept
        Assert.Equal("CA3, dorsal", r.Units[2].BrainRegion);
        Assert.Null(r.Units[1].BrainRegion);
        Assert.Equal("pyr", r.Units[1].CellType);
        Assert.Null(r.Units[1].GetMetadata("depth"));
        Assert.Equal("120", r.Units[0].GetMetadata("depth"));
        Assert.Equal(new[] { 0.1, 0.2, 0.3 }, r.Behavior!.Timestamps.ToArray());
        Assert.Equal(new[] { 1f, 2f, 3f }, r.Behavior.Channel("x").ToArray());
        Assert.Equal(new[] { 10f, float.NaN, float.NaN }, r.Behavior.Channel("y").ToArray());
        Assert.Equal(new[] { new Interval(0, 0.4, "trial", "left"), new Interval(0.4, 1.0, "epoch") }, r.Intervals);
        Assert.Equal(0.0, r.StartSeconds);
        Assert.Equal(1.0 + 1e-6, r.EndSeconds);

        var path = _tmp.Combine("ds");
        CsvImporter.Import(options, path, new DatasetWriterOptions { RowGroupSize = 4, Provenance = new Dictionary<string, string> { ["licence"] = "test" } });
        var ds = NeuralDataset.Open(path);
        Assert.Equal("CSV", ds.Manifest.Provenance["format"]);
        Assert.Equal("spikes.csv", ds.Manifest.Provenance["spikes_file"]);
        Assert.Equal("units.csv", ds.Manifest.Provenance["units_file"]);
        Assert.Equal("pos.csv", ds.Manifest.Provenance["behavior_file"]);
        Assert.Equal("trials.csv", ds.Manifest.Provenance["intervals_file"]);
        Assert.Equal("test", ds.Manifest.Provenance["licence"]);
        var back = ds.ReadRecording("s1");
        Assert.Equal(r.SubjectId, back.SubjectId);
        Assert.Equal(r.Spikes.Timestamps.ToArray(), back.Spikes.Timestamps.ToArray());
        Assert.Equal(r.Spikes.UnitIndices.ToArray(), back.Spikes.UnitIndices.ToArray());
        Assert.Equal(r.Units.ToArray(), back.Units.ToArray(), new UnitComparer());
        Assert.Equal(r.StartSeconds, back.StartSeconds);
        Assert.Equal(r.EndSeconds, back.EndSeconds);
        Assert.Equal(r.Behavior.Timestamps.ToArray(), back.Behavior!.Timestamps.ToArray());
        Assert.Equal(r.Behavior.Channel("y").ToArray(), back.Behavior.Channel("y").ToArray());
        Assert.Equal(r.Intervals.ToArray(), back.Intervals.ToArray());
    }

    [Fact]
    public void Sessions_follow_units_csv_order_and_spikes_route_by_unique_unit_id_without_a_session_column()
    {
        var units = Write("units.csv", "unit_id,session_id,subject_id\nz1,S2,B\na1,S1,A\nz2,S2,B\n");
        var spikes = Write("spikes.csv", "unit_id,timestamp\na1,1\nz2,2\nz1,3\n");
        var recordings = CsvImporter.Read(new CsvImportOptions { UnitsFile = units, SpikesFile = spikes });
        Assert.Equal(new[] { "S2", "S1" }, recordings.Select(r => r.SessionId));
        Assert.Equal(new[] { "B", "A" }, recordings.Select(r => r.SubjectId));
        Assert.Equal(new[] { 1, 1 }, recordings[0].Spikes.CountPerUnit());
        Assert.Equal(new[] { 1 }, recordings[1].Spikes.CountPerUnit());
    }

    private sealed class UnitComparer : IEqualityComparer<UnitInfo>
    {
        // The dataset stores metadata as nullable columns, so "no entry" and "null entry" read back alike.
        public bool Equals(UnitInfo? x, UnitInfo? y) =>
            x!.UnitId == y!.UnitId && x.BrainRegion == y.BrainRegion && x.CellType == y.CellType
            && Keys(x).Union(Keys(y)).All(k => x.GetMetadata(k) == y.GetMetadata(k));

        private static IEnumerable<string> Keys(UnitInfo u) => u.Metadata?.Keys ?? Enumerable.Empty<string>();

        public int GetHashCode(UnitInfo obj) => obj.UnitId.GetHashCode();
    }

    // ---------- bad input ----------

    private DataFormatException Fails(string units, string spikes, string? behavior = null, string? intervals = null)
    {
        var options = new CsvImportOptions
        {
            UnitsFile = Write("units.csv", units),
            SpikesFile = Write("spikes.csv", spikes),
            BehaviorFile = behavior is null ? null : Write("behavior.csv", behavior),
            IntervalsFile = intervals is null ? null : Write("trials.csv", intervals),
        };
        var e = Assert.Throws<DataFormatException>(() => CsvImporter.Read(options));
        _output.WriteLine(e.Message);
        return e;
    }

    private const string Units = "unit_id\nu1\nu2\n";
    private const string Spikes = "unit_id,timestamp\nu1,0.5\nu2,0.7\n";

    private static void AssertNames(DataFormatException e, string file, long? row, string? column)
    {
        Assert.Equal(file, Path.GetFileName(e.File));
        Assert.Contains(file, e.Message);
        Assert.Equal(row, e.Row);
        Assert.Equal(column, e.Column);
        if (row is not null) Assert.Contains($"row {row}", e.Message);
        if (column is not null) Assert.Contains($"column '{column}'", e.Message);
    }

    [Fact]
    public void Missing_required_columns_are_named()
    {
        AssertNames(Fails("id\nu1\n", Spikes), "units.csv", null, "unit_id");
        AssertNames(Fails(Units, "unit_id,time\nu1,1\n"), "spikes.csv", null, "timestamp");
        AssertNames(Fails(Units, "timestamp\n1\n"), "spikes.csv", null, "unit_id");
        AssertNames(Fails(Units, Spikes, behavior: "time,x\n1,2\n"), "behavior.csv", null, "timestamp");
        AssertNames(Fails(Units, Spikes, intervals: "start,duration\n1,2\n"), "trials.csv", null, "stop");
        AssertNames(Fails(Units, Spikes, intervals: "begin,end\n1,2\n"), "trials.csv", null, "start");
    }

    [Theory]
    [InlineData("abc", "is not a number")]
    [InlineData("NaN", "not a finite number")]
    [InlineData("Infinity", "not a finite number")]
    [InlineData("", "is not a number")]
    [InlineData("1,5", "fields but the header has 2")]
    public void Bad_timestamps_are_named_by_row_and_column(string value, string problem)
    {
        var e = Fails(Units, $"unit_id,timestamp\nu1,0.5\nu2,{value}\n");
        Assert.Contains(problem, e.Message);
        AssertNames(e, "spikes.csv", 2, value.Contains(',') ? null : "timestamp");
    }

    [Fact]
    public void Spike_of_an_unknown_unit_is_named()
    {
        var e = Fails(Units, "unit_id,timestamp\nu1,0.5\nu3,0.7\n");
        AssertNames(e, "spikes.csv", 2, "unit_id");
        Assert.Contains("'u3'", e.Message);
        Assert.Contains("units.csv", e.Problem);
    }

    [Fact]
    public void Spike_of_a_unit_from_another_session_is_named()
    {
        var e = Fails("unit_id,session_id\nu1,A\nu2,B\n", "session_id,unit_id,timestamp\nA,u1,0.5\nA,u2,0.7\n");
        AssertNames(e, "spikes.csv", 2, "unit_id");
        Assert.Contains("session 'A'", e.Message);
        e = Fails("unit_id,session_id\nu1,A\n", "session_id,unit_id,timestamp\nA,u1,0.5\nC,u1,0.7\n");
        AssertNames(e, "spikes.csv", 2, "session_id");
    }

    [Fact]
    public void Duplicate_unit_id_within_a_session_is_named()
    {
        var e = Fails("unit_id,session_id\nu1,A\nu1,B\nu2,A\nu1,A\n", Spikes);
        AssertNames(e, "units.csv", 4, "unit_id");
        Assert.Contains("rows 1 and 4", e.Message);
    }

    [Fact]
    public void Session_column_is_required_when_unit_ids_repeat_across_sessions()
    {
        var e = Fails("unit_id,session_id\nu1,A\nu1,B\n", Spikes);
        AssertNames(e, "spikes.csv", null, "session_id");
        Assert.Contains("'u1'", e.Message);
        AssertNames(Fails("unit_id,session_id\nu1,A\nu2,B\n", Spikes, behavior: "timestamp,x\n1,2\n"), "behavior.csv", null, "session_id");
    }

    [Fact]
    public void Subject_must_be_the_same_for_all_units_of_a_session()
    {
        var e = Fails("unit_id,session_id,subject_id\nu1,A,m1\nu2,A,m2\n", Spikes);
        AssertNames(e, "units.csv", 2, "subject_id");
        Assert.Contains("row 1", e.Problem);
    }

    [Fact]
    public void Reserved_unit_columns_are_refused()
    {
        AssertNames(Fails("unit_id,spike_count\nu1,3\n", Spikes), "units.csv", null, "spike_count");
        AssertNames(Fails("unit_id,unit_index\nu1,3\n", Spikes), "units.csv", null, "unit_index");
    }

    [Fact]
    public void Empty_files_are_named()
    {
        AssertNames(Fails("", Spikes), "units.csv", null, null);
        AssertNames(Fails(Units, ""), "spikes.csv", null, null);
        AssertNames(Fails("unit_id\n", Spikes), "units.csv", null, null);
        Assert.Contains("empty", Fails(Units, "").Message);
    }

    [Fact]
    public void Ragged_rows_and_unterminated_quotes_are_named()
    {
        var e = Fails("unit_id,region\nu1,CA1\nu2\n", Spikes);
        AssertNames(e, "units.csv", 2, null);
        e = Fails("unit_id,brain_region\nu1,\"CA1\nu2,CA3\n", Spikes);
        AssertNames(e, "units.csv", 1, "brain_region");
        Assert.Contains("not terminated", e.Message);
    }

    [Fact]
    public void Behavior_channel_text_and_bad_intervals_are_named()
    {
        var e = Fails(Units, Spikes, behavior: "timestamp,x,y\n0.1,1,2\n0.2,3,left\n");
        AssertNames(e, "behavior.csv", 2, "y");
        Assert.Contains("'left'", e.Message);
        AssertNames(Fails(Units, Spikes, behavior: "timestamp,x\n0.1,1\nNaN,3\n"), "behavior.csv", 2, "timestamp");
        AssertNames(Fails(Units, Spikes, intervals: "start,stop\n0,1\n2,1\n"), "trials.csv", 2, "stop");
        AssertNames(Fails(Units, Spikes, intervals: "start,stop\n0,x\n"), "trials.csv", 1, "stop");
    }

    [Fact]
    public void Failed_import_leaves_no_output_folder()
    {
        var options = new CsvImportOptions
        {
            UnitsFile = Write("units.csv", Units),
            SpikesFile = Write("spikes.csv", "unit_id,timestamp\nu1,0.5\nu9,0.7\n"),
        };
        var output = _tmp.Combine("out", "ds");
        Assert.Throws<DataFormatException>(() => CsvImporter.Import(options, output));
        Assert.False(Directory.Exists(output));
        Assert.Empty(Directory.GetFileSystemEntries(_tmp.Combine("out")));
    }

    [Fact]
    public void Cancelled_import_leaves_no_output_folder()
    {
        var options = new CsvImportOptions { UnitsFile = Write("units.csv", Units), SpikesFile = Write("spikes.csv", Spikes) };
        var output = _tmp.Combine("out", "ds");
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => CsvImporter.Import(options, output, ct: cts.Token));
        Assert.False(Directory.Exists(output));
        Assert.Empty(Directory.GetFileSystemEntries(_tmp.Combine("out")));
    }
}
