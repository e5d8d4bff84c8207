using System.Globalization;
using MLNeuro.Loaders.Import;
using PureHDF;

namespace MLNeuro.Loaders.Tests;

/// <summary>
/// The NWB reader on a real file (DANDI:000207, committed whole in tests/data with values extracted independently by
/// h5py) and on small synthetic files written with PureHDF for the cases the real file lacks.
/// </summary>
public sealed class NwbImportTests
{
    private const string Folder = "human-mtl-dandi000207";
    private static readonly string HumanFile = TestData.File(Folder, "sub-4_ses-4_ecephys+image.nwb");
    private static readonly Lazy<Recording> Human = new(() => NwbImporter.ReadRecording(HumanFile));

    [Fact]
    public void Human_units_match_expected_csv_exactly()
    {
        var r = Human.Value;
        var expected = File.ReadAllLines(TestData.File(Folder, "expected_units.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(35, r.Units.Count);
        Assert.Equal(expected.Length, r.Units.Count);
        Assert.Equal(214_278, r.Spikes.Count);

        var count = new int[r.Units.Count];
        var first = Enumerable.Repeat(double.NaN, r.Units.Count).ToArray();
        var last = new double[r.Units.Count];
        var t = r.Spikes.Timestamps;
        var u = r.Spikes.UnitIndices;
        for (int i = 0; i < t.Length; i++)
        {
            if (count[u[i]]++ == 0) first[u[i]] = t[i];
            last[u[i]] = t[i];
        }
        for (int i = 0; i < expected.Length; i++)
        {
            var row = expected[i];
            Assert.Equal(i, int.Parse(row[0], CultureInfo.InvariantCulture));
            Assert.Equal(row[1], r.Units[i].BrainRegion);
            Assert.Equal(int.Parse(row[2], CultureInfo.InvariantCulture), count[i]);
            // Python's repr round-trips, so parsing gives the exact double the file holds.
            Assert.Equal(double.Parse(row[3], CultureInfo.InvariantCulture), first[i]);
            Assert.Equal(double.Parse(row[4], CultureInfo.InvariantCulture), last[i]);
        }
        Assert.Equal(25, r.Units.Count(x => x.BrainRegion == "hippocampus_right"));
        Assert.Equal(10, r.Units.Count(x => x.BrainRegion == "amygdala_right"));
    }

    [Fact]
    public void Human_file_identity_ids_and_metadata()
    {
        var r = Human.Value;
        Assert.Equal("TWH103_CBID4", r.SessionId);
        Assert.Equal("4", r.SubjectId);
        Assert.Equal(Enumerable.Range(0, 35).Select(i => i.ToString(CultureInfo.InvariantCulture)), r.Units.Select(x => x.UnitId));
        Assert.Equal("10", r.Units[0].GetMetadata("electrodes")); // the DynamicTableRegion row, kept as metadata
        Assert.Null(r.Behavior); // the file's /processing group is empty
        Assert.True(r.StartSeconds <= r.Spikes.Timestamps[0]);
        Assert.True(r.EndSeconds > r.Spikes.Timestamps[^1]);
        Assert.Equal("custom", NwbImporter.ReadRecording(HumanFile, "custom").SessionId);
    }

    [Fact]
    public void Human_intervals_tables_are_read()
    {
        var r = Human.Value;
        Assert.Equal(new[] { "encoding_table", "events", "recognition_table", "timediscrimination_table" }, r.Intervals.Kinds);
        Assert.Equal(1716, r.Intervals.OfKind("events").Count); // /acquisition/events TTL codes, as points
        Assert.Equal(90, r.Intervals.OfKind("encoding_table").Count);
        Assert.Equal(180, r.Intervals.OfKind("recognition_table").Count);
        Assert.Equal(180, r.Intervals.OfKind("timediscrimination_table").Count);
        Assert.All(r.Intervals, i => Assert.True(i.Start <= i.End));
        var encoding = r.Intervals.OfKind("encoding_table");
        Assert.Equal(1.06846275, encoding[0].Start);
        Assert.Equal("NB_24.mp4", encoding[0].Label); // Clip_name, the table's only text column
        Assert.All(r.Intervals.OfKind("recognition_table"), i => Assert.NotNull(i.Label));
        // The tables' other columns (task variables) travel as interval metadata; the label column is not repeated there.
        Assert.All(encoding, i => Assert.NotNull(i.Metadata));
        Assert.DoesNotContain("Clip_name", encoding[0].Metadata!.Keys);
        Assert.DoesNotContain("start_time", encoding[0].Metadata!.Keys);
    }

    [Fact]
    public void Import_writes_a_dataset_that_reads_back_the_same()
    {
        using var tmp = new TempFolder();
        var output = tmp.Combine("ds");
        var reports = new List<WorkProgress>();
        NwbImporter.Import(new[] { HumanFile }, output, new DatasetWriterOptions { Provenance = new Dictionary<string, string> { ["licence"] = "CC-BY-4.0" } },
            new SynchronousProgress<WorkProgress>(reports.Add));

        var ds = NeuralDataset.Open(output);
        Assert.Equal(new[] { "TWH103_CBID4" }, ds.Sessions.Select(s => s.SessionId));
        Assert.Equal(35, ds.Units.Count);
        Assert.Equal(214_278, ds.SpikeCount);
        Assert.Equal("NWB", ds.Manifest.Provenance["format"]);
        Assert.Equal("2.4.0", ds.Manifest.Provenance["nwb_version"]);
        Assert.Equal("sub-4_ses-4_ecephys+image.nwb", ds.Manifest.Provenance["source_files"]);
        Assert.Equal("CC-BY-4.0", ds.Manifest.Provenance["licence"]);
        var back = ds.ReadRecording("TWH103_CBID4");
        Assert.Equal(Human.Value.Spikes.Timestamps.ToArray(), back.Spikes.Timestamps.ToArray());
        Assert.Equal(Human.Value.Spikes.UnitIndices.ToArray(), back.Spikes.UnitIndices.ToArray());
        Assert.Equal(Human.Value.Units.Select(x => x.BrainRegion), back.Units.Select(x => x.BrainRegion));
        Assert.Equal(450 + 1716, back.Intervals.Count); // the task tables and the /acquisition TTL markers
        Assert.Equal(new[] { (0L, 1L), (1L, 1L) }, reports.Select(p => (p.Done, p.Total)));
    }

    [Fact]
    public void Synthetic_file_reads_metadata_regions_behaviour_and_tags()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("synthetic.nwb");
        SyntheticNwb(spikeTimes: new[] { 0.5, 0.1, 0.9, 0.3 }).Write(path);

        var r = NwbImporter.ReadRecording(path);
        Assert.Equal("synthetic-1", r.SessionId);
        Assert.Equal("mouse-7", r.SubjectId);
        Assert.Equal(new[] { "u7", "u9" }, r.Units.Select(x => x.UnitId));
        Assert.Equal(new[] { "CA1", "CA3" }, r.Units.Select(x => x.BrainRegion)); // first electrode of each unit's ragged list
        Assert.Equal(new[] { "pyramidal", "interneuron" }, r.Units.Select(x => x.CellType));
        Assert.Equal("good", r.Units[1].GetMetadata("quality"));
        Assert.Equal("1.5", r.Units[0].GetMetadata("depth"));
        Assert.Equal("3", r.Units[0].GetMetadata("nwb_spike_count")); // clashes with units.parquet, so prefixed
        Assert.Null(r.Units[0].GetMetadata("electrodes")); // ragged: left out
        Assert.Equal(new[] { 0.1, 0.3, 0.5, 0.9 }, r.Spikes.Timestamps.ToArray());
        Assert.Equal(new[] { 0, 1, 0, 0 }, r.Spikes.UnitIndices.ToArray());

        // pos (2-D SpatialSeries) and speed share a clock; reward has its own: the clocks are merged, NaN where a series has no sample.
        var b = r.Behavior!;
        Assert.Equal(new[] { "pos_x", "pos_y", "reward", "speed" }, b.ChannelNames);
        Assert.Equal(new[] { 0.0, 0.05, 0.1, 0.15, 0.2 }, b.Timestamps.ToArray());
        Assert.Equal(new[] { 10f, float.NaN, 30f, float.NaN, 50f }, b.Channel("pos_x").ToArray()); // data x conversion (10)
        Assert.Equal(new[] { 20f, float.NaN, 40f, float.NaN, 60f }, b.Channel("pos_y").ToArray());
        Assert.Equal(new[] { 7f, float.NaN, 8f, float.NaN, 9f }, b.Channel("speed").ToArray());
        Assert.Equal(new[] { float.NaN, 1f, float.NaN, 1f, float.NaN }, b.Channel("reward").ToArray());

        var trials = r.Intervals.OfKind("trials");
        Assert.Equal(new[] { "left", "right" }, trials.Select(i => i.Label));
        Assert.Equal(new[] { "a,b", null }, r.Intervals.OfKind("epochs").Select(i => i.Label));
        Assert.Equal(0.0, r.StartSeconds);
    }

    [Fact]
    public void Regularly_sampled_series_use_starting_time_and_rate()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("rate.nwb");
        var file = SyntheticNwb(new[] { 0.5, 0.1, 0.9, 0.3 });
        file["processing"] = new H5Group
        {
            ["behavior"] = new H5Group
            {
                ["lick"] = new H5Group
                {
                    ["data"] = new float[] { 0, 1, 0, 1 },
                    ["starting_time"] = new H5Dataset(2.0) { Attributes = new() { ["rate"] = 4.0 } },
                },
            },
        };
        file.Write(path);
        var b = NwbImporter.ReadRecording(path).Behavior!;
        Assert.Equal(new[] { "lick" }, b.ChannelNames);
        Assert.Equal(new[] { 2.0, 2.25, 2.5, 2.75 }, b.Timestamps.ToArray());
    }

    [Fact]
    public void Spike_time_that_is_not_finite_is_a_data_format_error()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("nan.nwb");
        SyntheticNwb(spikeTimes: new[] { 0.5, double.NaN, 0.9, 0.3 }).Write(path);
        var e = Assert.Throws<DataFormatException>(() => NwbImporter.ReadRecording(path));
        Assert.Contains("nan.nwb", e.Message);
        Assert.Equal("/units/spike_times", e.Column);
        Assert.Equal(2, e.Row);
    }

    [Fact]
    public void Text_file_named_nwb_is_rejected_as_not_nwb()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("notes.nwb");
        File.WriteAllText(path, "unit,spike\n1,0.5\n");
        var e = Assert.Throws<DataFormatException>(() => NwbImporter.ReadRecording(path));
        Assert.Contains("notes.nwb", e.Message);
        Assert.Contains("not an NWB file", e.Message);
    }

    [Fact]
    public void Hdf5_file_that_is_not_nwb_is_rejected()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("plain.h5");
        new H5File { ["data"] = new double[] { 1, 2 } }.Write(path);
        var e = Assert.Throws<DataFormatException>(() => NwbImporter.ReadRecording(path));
        Assert.Contains("plain.h5", e.Message);
        Assert.Contains("not an NWB file", e.Message);
    }

    [Fact]
    public void Nwb_file_without_units_is_rejected()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("nounits.nwb");
        new H5File { Attributes = new() { ["nwb_version"] = "2.7.0" }, ["identifier"] = "x" }.Write(path);
        var e = Assert.Throws<DataFormatException>(() => NwbImporter.ReadRecording(path));
        Assert.Contains("nounits.nwb", e.Message);
        Assert.Contains("no /units table", e.Message);
    }

    [Fact]
    public void Failed_import_leaves_no_output_folder()
    {
        using var tmp = new TempFolder();
        var bad = tmp.Combine("bad.nwb");
        File.WriteAllText(bad, "not hdf5");
        var output = tmp.Combine("out", "ds");
        var e = Assert.Throws<DataFormatException>(() => NwbImporter.Import(new[] { HumanFile, bad }, output));
        Assert.Contains("bad.nwb", e.Message);
        Assert.False(Directory.Exists(output));
        Assert.Empty(Directory.GetFileSystemEntries(tmp.Combine("out"))); // no half-written temporary folder either
    }

    [Fact]
    public void Importing_the_same_session_twice_fails_before_writing()
    {
        using var tmp = new TempFolder();
        var output = tmp.Combine("ds");
        var e = Assert.Throws<DataFormatException>(() => NwbImporter.Import(new[] { HumanFile, HumanFile }, output));
        Assert.Contains("TWH103_CBID4", e.Message);
        Assert.False(Directory.Exists(output));
    }

    /// <summary>
    /// A small NWB-shaped file: two units (4 spikes, unit 0 owns the first three), ragged electrodes, a cell_type, text,
    /// float and clashing columns; behaviour on two clocks (merged); a trials table with a condition column and an epochs table with tags.
    /// </summary>
    private static H5File SyntheticNwb(double[] spikeTimes) => new()
    {
        Attributes = new() { ["nwb_version"] = "2.7.0", ["neurodata_type"] = "NWBFile" },
        ["identifier"] = "synthetic-1",
        ["general"] = new H5Group
        {
            ["subject"] = new H5Group { ["subject_id"] = "mouse-7" },
            ["extracellular_ephys"] = new H5Group
            {
                ["electrodes"] = new H5Group
                {
                    ["id"] = new long[] { 0, 1, 2 },
                    ["location"] = new[] { "CA1", "CA1", "CA3" },
                },
            },
        },
        ["units"] = new H5Group
        {
            ["id"] = new[] { "u7", "u9" },
            ["spike_times"] = spikeTimes,
            ["spike_times_index"] = new uint[] { 3, 4 },
            ["electrodes"] = new long[] { 0, 1, 2 },
            ["electrodes_index"] = new byte[] { 2, 3 },
            ["cell_type"] = new[] { "pyramidal", "interneuron" },
            ["quality"] = new[] { "mua", "good" },
            ["depth"] = new float[] { 1.5f, 2f },
            ["spike_count"] = new short[] { 3, 1 },
        },
        ["processing"] = new H5Group
        {
            ["behavior"] = new H5Group
            {
                ["Position"] = new H5Group
                {
                    ["pos"] = new H5Group
                    {
                        Attributes = new() { ["neurodata_type"] = "SpatialSeries" },
                        ["data"] = new H5Dataset(new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }) { Attributes = new() { ["conversion"] = 10.0 } },
                        ["timestamps"] = new[] { 0.0, 0.1, 0.2 },
                    },
                },
                ["speed"] = new H5Group { ["data"] = new float[] { 7, 8, 9 }, ["timestamps"] = new[] { 0.0, 0.1, 0.2 } },
                ["reward"] = new H5Group { ["data"] = new int[] { 1, 1 }, ["timestamps"] = new[] { 0.05, 0.15 } },
            },
        },
        ["intervals"] = new H5Group
        {
            ["trials"] = new H5Group
            {
                Attributes = new() { ["colnames"] = new[] { "start_time", "stop_time", "condition" } },
                ["start_time"] = new[] { 0.0, 0.5 },
                ["stop_time"] = new[] { 0.5, 1.0 },
                ["condition"] = new[] { "left", "right" },
            },
            ["epochs"] = new H5Group
            {
                ["start_time"] = new[] { 0.0, 0.6 },
                ["stop_time"] = new[] { 0.6, 1.0 },
                ["tags"] = new[] { "a", "b" },
                ["tags_index"] = new long[] { 2, 2 },
            },
        },
    };
}
