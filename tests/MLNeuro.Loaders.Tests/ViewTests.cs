using Microsoft.ML;
using Microsoft.ML.Data;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Loaders.Tests;

public sealed class ViewTests : IClassFixture<ViewTestData>
{
    private readonly ViewTestData _data;

    public ViewTests(ViewTestData data) => _data = data;

    private NeuralDataset Dataset => _data.Dataset;

    public sealed class NeuronRow
    {
        [ColumnName("session_id")] public string SessionId { get; set; } = "";
        [ColumnName("subject_id")] public string SubjectId { get; set; } = "";
        [ColumnName("unit_index")] public int UnitIndex { get; set; }
        [ColumnName("unit_id")] public string UnitId { get; set; } = "";
        [ColumnName("brain_region")] public string BrainRegion { get; set; } = "";
        [ColumnName("cell_type")] public string CellType { get; set; } = "";
        [ColumnName("spike_count")] public int SpikeCount { get; set; }
        [ColumnName("duration_s")] public double DurationSeconds { get; set; }
        [ColumnName("depth_um")] public string DepthUm { get; set; } = "";
        [ColumnName("tetrode")] public string Tetrode { get; set; } = "";
    }

    public sealed class NeuronSpikesRow
    {
        [ColumnName("session_id")] public string SessionId { get; set; } = "";
        [ColumnName("unit_index")] public int UnitIndex { get; set; }
        [ColumnName("spike_times")] public double[] SpikeTimes { get; set; } = Array.Empty<double>();
    }

    public sealed class WindowRow
    {
        [ColumnName("session_id")] public string SessionId { get; set; } = "";
        [ColumnName("subject_id")] public string SubjectId { get; set; } = "";
        [ColumnName("window_index")] public int WindowIndex { get; set; }
        [ColumnName("start_s")] public double Start { get; set; }
        [ColumnName("end_s")] public double End { get; set; }
        [ColumnName("spike_count")] public int SpikeCount { get; set; }
    }

    public sealed class WindowSpikesRow
    {
        [ColumnName("session_id")] public string SessionId { get; set; } = "";
        [ColumnName("start_s")] public double Start { get; set; }
        [ColumnName("end_s")] public double End { get; set; }
        [ColumnName("spike_count")] public int SpikeCount { get; set; }
        [ColumnName("spike_times")] public double[] SpikeTimes { get; set; } = Array.Empty<double>();
        [ColumnName("spike_units")] public int[] SpikeUnits { get; set; } = Array.Empty<int>();
    }

    private static List<T> Rows<T>(IDataView view) where T : class, new() =>
        new MLContext(seed: 1).Data.CreateEnumerable<T>(view, reuseRowObject: false).ToList();

    // ---------------------------------------------------------------- neuron view

    [Fact]
    public void Neuron_view_has_one_row_per_unit_with_its_metadata()
    {
        var view = Dataset.AsNeuronView();
        Assert.Equal(9, view.GetRowCount());
        Assert.False(view.Schema.GetColumnOrNull("spike_times").HasValue);
        Assert.Equal(TextDataViewType.Instance, view.Schema["unit_id"].Type);
        Assert.Equal(NumberDataViewType.Int32, view.Schema["spike_count"].Type);
        Assert.Equal(NumberDataViewType.Double, view.Schema["duration_s"].Type);

        var rows = Rows<NeuronRow>(view);
        Assert.Equal(Dataset.Units.Select(u => (u.SessionId, u.UnitIndex)), rows.Select(r => (r.SessionId, r.UnitIndex)));
        foreach (var row in rows)
        {
            var recording = _data.Recording(row.SessionId);
            var unit = recording.Units[row.UnitIndex];
            Assert.Equal(recording.SubjectId, row.SubjectId);
            Assert.Equal(unit.UnitId, row.UnitId);
            Assert.Equal(unit.BrainRegion ?? "", row.BrainRegion);
            Assert.Equal(unit.CellType ?? "", row.CellType);
            Assert.Equal(recording.Spikes.CountPerUnit()[row.UnitIndex], row.SpikeCount);
            Assert.Equal(recording.DurationSeconds, row.DurationSeconds);
            Assert.Equal(unit.GetMetadata("depth_um") ?? "", row.DepthUm);
            Assert.Equal("", row.Tetrode); // all-null metadata column: still a column, every value empty
        }
        Assert.Equal("", rows.Single(r => r.UnitId == "s1_u1").BrainRegion);
        Assert.Equal("pyramidal", rows.Single(r => r.UnitId == "s2_u0").CellType);
        Assert.Equal("300", rows.Single(r => r.UnitId == "s1_u2").DepthUm);
    }

    [Fact]
    public void Neuron_view_spike_times_equal_the_recordings()
    {
        var view = Dataset.AsNeuronView(new NeuronViewOptions { IncludeSpikeTimes = true });
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Double), view.Schema["spike_times"].Type);
        var rows = Rows<NeuronSpikesRow>(view);
        Assert.Equal(9, rows.Count);
        foreach (var row in rows)
            Assert.Equal(_data.Recording(row.SessionId).Spikes.TimesOf(row.UnitIndex), row.SpikeTimes);
        Assert.Empty(rows.Single(r => r.SessionId == "s3" && r.UnitIndex == 1).SpikeTimes);
    }

    [Fact]
    public void Shuffled_neuron_cursor_visits_every_unit_once_with_its_own_spikes()
    {
        var view = Dataset.AsNeuronView(new NeuronViewOptions { IncludeSpikeTimes = true });
        var seen = new List<(ulong, string, int)>();
        using (var cursor = view.GetRowCursor(view.Schema, new Random(5)))
        {
            var id = cursor.GetIdGetter();
            var session = cursor.GetGetter<ReadOnlyMemory<char>>(view.Schema["session_id"]);
            var index = cursor.GetGetter<int>(view.Schema["unit_index"]);
            var times = cursor.GetGetter<VBuffer<double>>(view.Schema["spike_times"]);
            DataViewRowId rowId = default;
            ReadOnlyMemory<char> s = default;
            int u = 0;
            VBuffer<double> t = default;
            while (cursor.MoveNext())
            {
                id(ref rowId);
                session(ref s);
                index(ref u);
                times(ref t);
                Assert.Equal(_data.Recording(s.ToString()).Spikes.TimesOf(u), t.DenseValues().ToArray());
                seen.Add((rowId.Low, s.ToString(), u));
            }
        }
        Assert.Equal(9, seen.Select(x => x.Item1).Distinct().Count());
        var stored = Dataset.Units.Select((unit, i) => ((ulong)i, unit.SessionId, unit.UnitIndex)).ToList();
        Assert.Equal(stored.OrderBy(x => x.Item1), seen.OrderBy(x => x.Item1));
        Assert.NotEqual(stored, seen); // 9 rows in 3 sessions: seed 5 does not give the identity order
    }

    [Fact]
    public void Cursor_honours_the_active_columns()
    {
        var view = Dataset.AsNeuronView(new NeuronViewOptions { IncludeSpikeTimes = true });
        using var cursor = view.GetRowCursor(new[] { view.Schema["unit_id"] });
        Assert.True(cursor.IsColumnActive(view.Schema["unit_id"]));
        Assert.False(cursor.IsColumnActive(view.Schema["spike_times"]));
        Assert.Equal(0, cursor.Batch);
        Assert.Equal(-1, cursor.Position);
        Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<VBuffer<double>>(view.Schema["spike_times"]));
        Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<int>(view.Schema["unit_id"])); // wrong type
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(view.Schema["unit_id"]);
        ReadOnlyMemory<char> value = default;
        Assert.Throws<InvalidOperationException>(() => getter(ref value)); // before MoveNext
        Assert.True(cursor.MoveNext());
        getter(ref value);
        Assert.Equal("s1_u0", value.ToString());
        Assert.Equal(0, cursor.Position);
    }

    [Fact]
    public void Ml_net_pipeline_consumes_the_neuron_view()
    {
        var ml = new MLContext(seed: 1);
        var view = Dataset.AsNeuronView();
        var model = ml.Transforms.Conversion.MapValueToKey("region_key", "brain_region").Fit(view);
        var preview = model.Transform(view).Preview();
        Assert.Equal(9, preview.RowView.Length);
        var keyType = Assert.IsType<KeyDataViewType>(model.GetOutputSchema(view.Schema)["region_key"].Type);
        // CA1 and DG; ML.NET treats the empty text of unknown regions as missing, which maps to key 0.
        Assert.Equal(2UL, keyType.Count);
        var keys = model.Transform(view).GetColumn<uint>("region_key").ToArray();
        var regions = Dataset.Units.Select(u => u.Unit.BrainRegion).ToArray();
        for (int i = 0; i < keys.Length; i++) Assert.Equal(regions[i] is null, keys[i] == 0);
    }

    // ---------------------------------------------------------------- window view

    [Fact]
    public void Random_windows_lie_in_the_domain_and_carry_their_spikes()
    {
        var view = Dataset.AsWindowView(new WindowViewOptions { WindowSeconds = 1.5, WindowsPerSession = 7, Seed = 3, IncludeSpikes = true });
        Assert.Equal(21, view.GetRowCount());
        var rows = Rows<WindowSpikesRow>(view);
        Assert.Equal(21, rows.Count);
        foreach (var row in rows)
        {
            var recording = _data.Recording(row.SessionId);
            Assert.InRange(row.Start, recording.StartSeconds, recording.EndSeconds);
            Assert.InRange(row.End, recording.StartSeconds, recording.EndSeconds);
            Assert.Equal(1.5, row.End - row.Start, 1e-9);
            var expected = recording.Spikes.Slice(row.Start, row.End);
            Assert.Equal(expected.Count, row.SpikeCount);
            Assert.Equal(expected.Timestamps.ToArray().Select(t => t - row.Start), row.SpikeTimes);
            Assert.Equal(expected.UnitIndices.ToArray(), row.SpikeUnits);
            Assert.All(row.SpikeTimes, t => Assert.InRange(t, 0, 1.5));
        }
        Assert.Contains(rows, r => r.SpikeCount > 0);
    }

    [Fact]
    public void Trial_windows_lie_inside_one_trial()
    {
        var view = Dataset.AsWindowView(new WindowViewOptions { WindowSeconds = 0.5, WindowsPerSession = 50, IntervalKind = "trial", Seed = 9 });
        Assert.Equal(new[] { "s3" }, view.SessionsWithoutWindows);
        Assert.Equal(0, view.WindowCountBySession["s3"]);
        var rows = Rows<WindowRow>(view);
        Assert.Equal(100, rows.Count);
        foreach (var row in rows)
        {
            var trials = _data.Recording(row.SessionId).Intervals.OfKind("trial");
            Assert.Contains(trials, t => t.Start <= row.Start && row.End <= t.End);
            Assert.Equal(0.5, row.End - row.Start, 1e-9);
        }
        // The 0.5 s trial of s1 has no room to move: a window there starts exactly at 4.0 if it is drawn at all.
        Assert.All(rows.Where(r => r.SessionId == "s1" && r.Start >= 4 && r.Start < 4.5), r => Assert.Equal(4.0, r.Start));
    }

    [Fact]
    public void Same_seed_gives_the_same_windows_and_another_seed_different_ones()
    {
        (string, double, double)[] Windows(int seed, IReadOnlyList<string>? sessions = null) =>
            Rows<WindowRow>(Dataset.AsWindowView(new WindowViewOptions { WindowSeconds = 1, Seed = seed, Sessions = sessions }))
                .Select(r => (r.SessionId, r.Start, r.End)).ToArray();

        var a = Windows(42);
        Assert.Equal(a, Windows(42));
        Assert.NotEqual(a, Windows(43));
        // A session's windows do not depend on which other sessions are selected.
        Assert.Equal(a.Where(w => w.Item1 == "s2"), Windows(42, new[] { "s2" }));
    }

    [Fact]
    public void Shuffled_window_cursor_gives_the_same_windows_in_another_order()
    {
        var view = Dataset.AsWindowView(new WindowViewOptions { WindowSeconds = 1, Seed = 1 });
        List<(DataViewRowId, double)> Read(Random? random)
        {
            var result = new List<(DataViewRowId, double)>();
            using var cursor = view.GetRowCursor(new[] { view.Schema["start_s"] }, random);
            var id = cursor.GetIdGetter();
            var start = cursor.GetGetter<double>(view.Schema["start_s"]);
            DataViewRowId rowId = default;
            double s = 0;
            while (cursor.MoveNext())
            {
                id(ref rowId);
                start(ref s);
                result.Add((rowId, s));
            }
            return result;
        }
        var plain = Read(null);
        var shuffled = Read(new Random(8));
        Assert.Equal(30, plain.Select(x => x.Item1).Distinct().Count());
        Assert.NotEqual(plain, shuffled);
        Assert.Equal(plain.OrderBy(x => x.Item1), shuffled.OrderBy(x => x.Item1));
    }

    [Fact]
    public void Sequential_windows_tile_the_domain_without_overlap()
    {
        var view = Dataset.AsWindowView(new WindowViewOptions { WindowSeconds = 0.7, Mode = WindowMode.Sequential, IncludeSpikes = true });
        var rows = Rows<WindowSpikesRow>(view);
        foreach (var recording in _data.Recordings)
        {
            var mine = rows.Where(r => r.SessionId == recording.SessionId).ToList();
            Assert.Equal((int)Math.Floor(recording.DurationSeconds / 0.7 + 1e-9), mine.Count);
            Assert.Equal(recording.StartSeconds, mine[0].Start);
            for (int i = 1; i < mine.Count; i++) Assert.Equal(mine[i - 1].End, mine[i].Start, 1e-9);
            Assert.True(mine[^1].End <= recording.EndSeconds);
            Assert.True(mine[^1].End + 0.7 > recording.EndSeconds);
            // Tiling without overlap: every spike before the last window end is counted exactly once.
            Assert.Equal(recording.Spikes.Slice(recording.StartSeconds, mine[^1].End).Count, mine.Sum(r => r.SpikeCount));
        }
    }

    [Fact]
    public void Sequential_windows_with_a_stride_overlap_inside_trials()
    {
        var view = Dataset.AsWindowView(new WindowViewOptions
        {
            WindowSeconds = 1, StrideSeconds = 0.5, Mode = WindowMode.Sequential, IntervalKind = "trial", Sessions = new[] { "s1" },
        });
        var rows = Rows<WindowRow>(view);
        // trials [1, 3): starts 1, 1.5, 2; [4, 4.5): none; [6, 9.5): 6, 6.5, ..., 8.5
        Assert.Equal(new[] { 1, 1.5, 2, 6, 6.5, 7, 7.5, 8, 8.5 }, rows.Select(r => r.Start));
        Assert.Equal(Enumerable.Range(0, 9), rows.Select(r => r.WindowIndex));
    }

    [Fact]
    public void Ml_net_trainer_fits_on_the_window_view()
    {
        var ml = new MLContext(seed: 1);
        var view = Dataset.AsWindowView(new WindowViewOptions { WindowSeconds = 1, WindowsPerSession = 20, Seed = 2 });
        var pipeline = ml.Transforms.Conversion.ConvertType("count", "spike_count", DataKind.Single)
            .Append(ml.Transforms.Conversion.ConvertType("Label", "start_s", DataKind.Single))
            .Append(ml.Transforms.Concatenate("Features", "count"))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.Regression.Trainers.Sdca(maximumNumberOfIterations: 5));
        var model = pipeline.Fit(view);
        var metrics = ml.Regression.Evaluate(model.Transform(view));
        Assert.True(double.IsFinite(metrics.RootMeanSquaredError));
    }

    [Fact]
    public void Spike_files_are_read_only_when_a_spike_column_is_active()
    {
        // Truncate a spike file: any view that touches it fails, so the passes below prove the file was not read.
        using var tmp = new TempFolder();
        using (var writer = DatasetWriter.Create(tmp.Combine("ds")))
        {
            foreach (var r in _data.Recordings) writer.WriteRecording(r);
            writer.Commit();
        }
        var file = Path.Combine(tmp.Combine("ds"), "spikes", "s1.parquet");
        File.WriteAllBytes(file, File.ReadAllBytes(file)[..100]);
        var dataset = NeuralDataset.Open(tmp.Combine("ds"));

        Assert.Equal(9, Rows<NeuronRow>(dataset.AsNeuronView(new NeuronViewOptions { IncludeSpikeTimes = true })).Count);
        var windows = dataset.AsWindowView(new WindowViewOptions { WindowSeconds = 1, IncludeSpikes = true });
        var ml = new MLContext(seed: 1);
        Assert.Equal(30, ml.Data.CreateEnumerable<StartOnly>(windows, reuseRowObject: false).Count());
        Assert.Throws<DataFormatException>(() => Rows<WindowRow>(windows));
        Assert.Throws<DataFormatException>(() => Rows<NeuronSpikesRow>(dataset.AsNeuronView(new NeuronViewOptions { IncludeSpikeTimes = true })));
    }

    public sealed class StartOnly
    {
        [ColumnName("start_s")] public double Start { get; set; }
    }

    // ---------------------------------------------------------------- bad options

    [Fact]
    public void Window_longer_than_every_trial_is_a_clear_error()
    {
        var e = Assert.Throws<ArgumentException>(() => Dataset.AsWindowView(new WindowViewOptions { WindowSeconds = 6, IntervalKind = "trial" }));
        Assert.Contains("WindowSeconds = 6 s", e.Message);
        Assert.Contains("session 's1': longest 'trial' interval is 3.5 s", e.Message);
        Assert.Contains("session 's2': longest 'trial' interval is 5 s", e.Message);
        Assert.Contains("session 's3' has no 'trial' interval", e.Message);
    }

    [Fact]
    public void Unknown_session_in_the_filter_is_named()
    {
        var e = Assert.Throws<ArgumentException>(() => Dataset.AsWindowView(new WindowViewOptions { WindowSeconds = 1, Sessions = new[] { "s1", "nope" } }));
        Assert.Contains("'nope'", e.Message);
        Assert.Contains("Sessions", e.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void Non_positive_window_length_names_the_option(double seconds)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Dataset.AsWindowView(new WindowViewOptions { WindowSeconds = seconds }));
        Assert.Contains("WindowSeconds", e.Message);
    }

    [Fact]
    public void Stride_in_random_mode_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Dataset.AsWindowView(new WindowViewOptions { WindowSeconds = 1, StrideSeconds = 0.5 }));
        Assert.Contains("StrideSeconds", e.Message);
    }
}
