using Microsoft.ML;
using Microsoft.ML.Data;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Synthetic;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Transforms.Tests;

public sealed class SpikeBinningEstimatorTests
{
    private sealed class Row
    {
        [ColumnName("session_id")] public string Session { get; set; } = "";
        [ColumnName("start_s")] public double Start { get; set; }
        [ColumnName("counts")] public float[] Counts { get; set; } = Array.Empty<float>();
        [ColumnName("counts_bin_count")] public int BinCount { get; set; }
        [ColumnName("counts_patch_count")] public int PatchCount { get; set; }
        [ColumnName("unit_count")] public int UnitCount { get; set; }
    }

    private static string WriteSynthetic(TempFolder tmp)
    {
        var path = tmp.Combine("synth");
        SyntheticDataset.Write(new SyntheticOptions { Subjects = 1, SessionsPerSubject = 2, UnitsPerSession = 10, DurationSeconds = 30, Seed = 4 }, path);
        return path;
    }

    private static IDataView Windows(NeuralDataset dataset) => dataset.AsWindowView(new WindowViewOptions
    {
        WindowSeconds = 2, Mode = WindowMode.Sequential, IncludeSpikes = true,
    });

    [Fact]
    public void Counts_equal_direct_binning_of_the_recording()
    {
        using var tmp = new TempFolder();
        var dataset = NeuralDataset.Open(WriteSynthetic(tmp));
        var ml = new MLContext(0);
        var windows = Windows(dataset);
        var binned = ml.Transforms.BinSpikes("counts", options: new SpikeBinningOptions { BinSeconds = 0.02, BinsPerPatch = 25 }).Fit(windows).Transform(windows);
        var rows = ml.Data.CreateEnumerable<Row>(binned, reuseRowObject: false).ToArray();
        Assert.Equal(2 * 15, rows.Length);
        var recordings = dataset.ReadRecordings(RecordingParts.Spikes).ToDictionary(r => r.SessionId);
        float total = 0;
        foreach (var row in rows)
        {
            var r = recordings[row.Session];
            Assert.Equal(10, row.UnitCount);
            Assert.Equal(100, row.BinCount);
            Assert.Equal(4, row.PatchCount);
            var expected = new float[r.Units.Count * 100];
            SpikeBinning.CountInto(r.Spikes, row.Start, 0.02, 100, expected);
            Assert.Equal(expected, row.Counts);
            total += row.Counts.Sum();
        }
        Assert.Equal(dataset.SpikeCount, (long)total); // sequential 2 s windows tile the 30 s sessions
    }

    private sealed class TwoBinningsRow
    {
        [ColumnName("counts_20ms")] public float[] Fine { get; set; } = [];
        [ColumnName("counts_20ms_bin_count")] public int FineBins { get; set; }
        [ColumnName("counts_100ms")] public float[] Coarse { get; set; } = [];
        [ColumnName("counts_100ms_bin_count")] public int CoarseBins { get; set; }
        [ColumnName("jittered_counts")] public float[] Jittered { get; set; } = [];
        [ColumnName("spike_times")] public double[] SpikeTimes { get; set; } = [];
    }

    [Fact]
    public void Two_binnings_and_a_binning_of_jittered_spikes_live_side_by_side_and_survive_save_and_load()
    {
        using var tmp = new TempFolder();
        var dataset = NeuralDataset.Open(WriteSynthetic(tmp));
        var ml = new MLContext(0);
        var windows = Windows(dataset);
        var pipeline = ml.Transforms.BinSpikes("counts_20ms", options: new SpikeBinningOptions { BinSeconds = 0.02 })
            .Append(ml.Transforms.BinSpikes("counts_100ms", options: new SpikeBinningOptions { BinSeconds = 0.1 }))
            .Append(ml.Transforms.JitterSpikes("jittered", "spike", new SpikeJitterOptions { JitterSeconds = 0.05 }, seed: 1))
            .Append(ml.Transforms.BinSpikes("jittered_counts", "jittered", new SpikeBinningOptions { BinSeconds = 0.1 }));
        var model = pipeline.Fit(windows);
        var output = model.Transform(windows);
        Assert.DoesNotContain(output.Schema, c => c.Name.StartsWith("__mlneuro", StringComparison.Ordinal));
        Assert.NotNull(output.Schema.GetColumnOrNull("jittered_times"));
        Assert.NotNull(output.Schema.GetColumnOrNull("jittered_units"));

        var rows = ml.Data.CreateEnumerable<TwoBinningsRow>(output, reuseRowObject: false).ToArray();
        var original = ml.Data.CreateEnumerable<SpikesOnly>(windows, reuseRowObject: false).ToArray();
        Assert.Equal(original.Length, rows.Length);
        bool anyMoved = false;
        for (int i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            Assert.Equal(100, row.FineBins);
            Assert.Equal(20, row.CoarseBins);
            // Each 100 ms bin is the sum of five 20 ms bins of the same unit: both columns come from the same spikes.
            for (int u = 0; u < 10; u++)
                for (int k = 0; k < 20; k++)
                    Assert.Equal(row.Coarse[u * 20 + k], Enumerable.Range(0, 5).Sum(j => row.Fine[u * 100 + k * 5 + j]));
            // The jitter wrote its own pair: the view's spike_times are untouched, and the jittered binning kept every spike.
            Assert.Equal(original[i].SpikeTimes, row.SpikeTimes);
            Assert.Equal(row.Coarse.Sum(), row.Jittered.Sum());
            anyMoved |= !row.Coarse.SequenceEqual(row.Jittered);
        }
        Assert.True(anyMoved, "50 ms jitter moved no spike across a 100 ms bin edge");

        var file = tmp.Combine("pipeline.zip");
        ml.Model.Save(model, windows.Schema, file);
        var fresh = new MLContext(1);
        MLNeuroComponents.Register(fresh);
        var reloaded = fresh.Data.CreateEnumerable<TwoBinningsRow>(fresh.Model.Load(file, out _).Transform(windows), false).ToArray();
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal(rows[i].Fine, reloaded[i].Fine);
            Assert.Equal(rows[i].Coarse, reloaded[i].Coarse);
            Assert.Equal(rows[i].Jittered, reloaded[i].Jittered);
        }
    }

    private sealed class SpikesOnly
    {
        [ColumnName("spike_times")] public double[] SpikeTimes { get; set; } = [];
    }

    [Fact]
    public void Column_names_are_checked_the_missing_stem_is_named_and_reserved_names_are_refused()
    {
        using var tmp = new TempFolder();
        var windows = Windows(NeuralDataset.Open(WriteSynthetic(tmp)));
        var ml = new MLContext(0);
        var e = Assert.Throws<ArgumentException>(() => ml.Transforms.BinSpikes("counts", "jittered").Fit(windows));
        Assert.Contains("'jittered_times'", e.Message);
        Assert.Contains("BinSpikes", e.Message);
        Assert.Throws<ArgumentException>(() => ml.Transforms.BinSpikes(""));
        e = Assert.Throws<ArgumentException>(() => ml.Transforms.BinSpikes("__mlneuro_counts"));
        Assert.Contains("reserves", e.Message);
    }

    [Fact]
    public void Saved_and_loaded_model_gives_identical_counts_and_keeps_its_options()
    {
        using var tmp = new TempFolder();
        var dataset = NeuralDataset.Open(WriteSynthetic(tmp));
        var ml = new MLContext(0);
        var windows = Windows(dataset);
        var model = ml.Transforms.BinSpikes("counts", options: new SpikeBinningOptions { BinSeconds = 0.05 }).Fit(windows);
        var before = ml.Data.CreateEnumerable<Row>(model.Transform(windows), false).ToArray();
        var file = tmp.Combine("model.zip");
        ml.Model.Save(model, windows.Schema, file);

        var fresh = new MLContext(1);
        MLNeuroComponents.Register(fresh);
        var loaded = fresh.Model.Load(file, out _);
        var after = fresh.Data.CreateEnumerable<Row>(loaded.Transform(windows), false).ToArray();
        Assert.Equal(before.Length, after.Length);
        Assert.All(after, row => Assert.Equal(40, row.BinCount)); // 2 s / 50 ms: the loaded model kept BinSeconds
        for (int i = 0; i < before.Length; i++) Assert.Equal(before[i].Counts, after[i].Counts);
        Assert.DoesNotContain(loaded.Transform(windows).Schema, c => c.Name.StartsWith("__mlneuro", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_spike_columns_are_named_with_the_expected_type()
    {
        using var tmp = new TempFolder();
        var dataset = NeuralDataset.Open(WriteSynthetic(tmp));
        var withoutSpikes = dataset.AsWindowView(new WindowViewOptions { WindowSeconds = 2 });
        var e = Assert.Throws<ArgumentException>(() => new MLContext().Transforms.BinSpikes("counts").Fit(withoutSpikes));
        Assert.Contains("'spike_times'", e.Message);
        Assert.Contains("variable-length vector of Double", e.Message);
    }

    [Fact]
    public void Bad_options_name_the_option()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MLContext().Transforms.BinSpikes("counts", options: new SpikeBinningOptions { BinSeconds = 0 }));
        Assert.Equal("BinSeconds", e.ParamName);
    }
}
