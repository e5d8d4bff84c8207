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
        [ColumnName("bin_count")] public int BinCount { get; set; }
        [ColumnName("patch_count")] public int PatchCount { get; set; }
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
        var binned = ml.Transforms.BinSpikes(new SpikeBinningOptions { BinSeconds = 0.02, BinsPerPatch = 25 }).Fit(windows).Transform(windows);
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

    [Fact]
    public void Saved_and_loaded_model_gives_identical_counts_and_keeps_its_options()
    {
        using var tmp = new TempFolder();
        var dataset = NeuralDataset.Open(WriteSynthetic(tmp));
        var ml = new MLContext(0);
        var windows = Windows(dataset);
        var model = ml.Transforms.BinSpikes(new SpikeBinningOptions { BinSeconds = 0.05 }).Fit(windows);
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
        var e = Assert.Throws<ArgumentException>(() => new MLContext().Transforms.BinSpikes().Fit(withoutSpikes));
        Assert.Contains("'spike_times'", e.Message);
        Assert.Contains("variable-length vector of Double", e.Message);
    }

    [Fact]
    public void Bad_options_name_the_option()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MLContext().Transforms.BinSpikes(new SpikeBinningOptions { BinSeconds = 0 }));
        Assert.Equal("BinSeconds", e.ParamName);
    }
}
