using Microsoft.ML;
using Microsoft.ML.Data;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Synthetic;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Transforms.Tests;

public sealed class AugmentationEstimatorTests
{
    private sealed class Row
    {
        [ColumnName("session_id")] public string Session { get; set; } = "";
        [ColumnName("window_index")] public int Index { get; set; }
        [ColumnName("start_s")] public double Start { get; set; }
        [ColumnName("end_s")] public double End { get; set; }
        [ColumnName("unit_count")] public int UnitCount { get; set; }
        [ColumnName("spike_times")] public double[] Times { get; set; } = [];
        [ColumnName("spike_units")] public int[] Units { get; set; } = [];
    }

    private sealed class DroppedRow
    {
        [ColumnName("spike_times")] public double[] Times { get; set; } = [];
        [ColumnName("spike_units")] public int[] Units { get; set; } = [];
        [ColumnName("spike_kept_units")] public int[] Kept { get; set; } = [];
    }

    private sealed class JitteredRow
    {
        [ColumnName("spike_times")] public double[] Times { get; set; } = [];
        [ColumnName("spike_units")] public int[] Units { get; set; } = [];
    }

    private sealed class BinnedRow
    {
        [ColumnName("counts")] public float[] Counts { get; set; } = [];
    }

    private static NeuralDataset Open(TempFolder tmp)
    {
        var path = tmp.Combine("synth");
        SyntheticDataset.Write(new SyntheticOptions { Subjects = 1, SessionsPerSubject = 2, UnitsPerSession = 12, DurationSeconds = 60, Seed = 1 }, path);
        return NeuralDataset.Open(path);
    }

    private static IDataView Windows(NeuralDataset dataset) => dataset.AsWindowView(new WindowViewOptions
    {
        WindowSeconds = 5, Mode = WindowMode.Sequential, IncludeSpikes = true,
    });

    private static T[] Read<T>(MLContext ml, IDataView view) where T : class, new() => ml.Data.CreateEnumerable<T>(view, false).ToArray();

    private static SpikeTrain Train(Row row) => SpikeTrain.FromSorted(row.Times, row.Units, row.UnitCount);

    [Fact]
    public void DropUnits_equals_plain_UnitDropout_with_the_row_seed()
    {
        using var tmp = new TempFolder();
        var dataset = Open(tmp);
        var ml = new MLContext(0);
        var windows = Windows(dataset);
        var options = new UnitDropoutOptions { MinKeepFraction = 0.3, MaxKeepFraction = 0.8 };
        var inputs = Read<Row>(ml, windows);
        var outputs = Read<DroppedRow>(ml, ml.Transforms.DropUnits("spike", options: options, seed: 7).Fit(windows).Transform(windows));
        Assert.Equal(24, inputs.Length);
        Assert.Equal(inputs.Length, outputs.Length);
        var units = new UnitTable(Enumerable.Range(0, 12).Select(i => new UnitInfo($"x{i}")));
        for (int i = 0; i < inputs.Length; i++)
        {
            var window = new Recording(inputs[i].Session, "s", units, Train(inputs[i]), 0, inputs[i].End - inputs[i].Start);
            var plain = new UnitDropout(options).Apply(AugmentedView.Of(window), new Random(RowSeed.Derive(7, inputs[i].Session, inputs[i].Index)));
            Assert.Equal(plain.KeptUnits.ToArray(), outputs[i].Kept);
            Assert.Equal(plain.Recording.Spikes.Timestamps.ToArray(), outputs[i].Times);
            Assert.Equal(plain.Recording.Spikes.UnitIndices.ToArray(), outputs[i].Units);
            Assert.InRange(outputs[i].Kept.Length, 3, 10);
            Assert.All(outputs[i].Units, u => Assert.Contains(u, outputs[i].Kept));
        }
    }

    [Fact]
    public void JitterSpikes_equals_plain_SpikeJitter_with_the_row_seed()
    {
        using var tmp = new TempFolder();
        var dataset = Open(tmp);
        var ml = new MLContext(0);
        var windows = Windows(dataset);
        var options = new SpikeJitterOptions { JitterSeconds = 0.005 };
        var inputs = Read<Row>(ml, windows);
        var jittered = ml.Transforms.JitterSpikes("spike", options: options, seed: 3).Fit(windows).Transform(windows);
        Assert.Null(jittered.Schema.GetColumnOrNull("spike_kept_units")); // only dropout adds it
        var outputs = Read<JitteredRow>(ml, jittered);
        for (int i = 0; i < inputs.Length; i++)
        {
            var plain = new SpikeJitter(options).Jitter(Train(inputs[i]), 0, inputs[i].End - inputs[i].Start,
                new Random(RowSeed.Derive(3, inputs[i].Session, inputs[i].Index)));
            Assert.Equal(plain.Timestamps.ToArray(), outputs[i].Times);
            Assert.Equal(plain.UnitIndices.ToArray(), outputs[i].Units);
            Assert.Equal(inputs[i].Times.Length, outputs[i].Times.Length);
            if (inputs[i].Times.Length > 0) Assert.NotEqual(inputs[i].Times, outputs[i].Times);
        }
    }

    [Fact]
    public void Saved_and_loaded_augmentation_chain_gives_identical_rows_and_seeds_matter()
    {
        using var tmp = new TempFolder();
        var dataset = Open(tmp);
        var ml = new MLContext(0);
        var windows = Windows(dataset);
        IEstimator<ITransformer> Pipeline(int seed) => ml.Transforms.DropUnits("spike", seed: seed)
            .Append(ml.Transforms.JitterSpikes("spike", seed: seed))
            .Append(ml.Transforms.BinSpikes("counts", options: new SpikeBinningOptions { BinSeconds = 0.05 }));
        var model = Pipeline(11).Fit(windows);
        var before = Read<BinnedRow>(ml, model.Transform(windows));
        var beforeSpikes = Read<DroppedRow>(ml, model.Transform(windows));
        var file = tmp.Combine("model.zip");
        ml.Model.Save(model, windows.Schema, file);

        var fresh = new MLContext(5);
        MLNeuroComponents.Register(fresh);
        var loaded = fresh.Model.Load(file, out _);
        var after = Read<BinnedRow>(fresh, loaded.Transform(windows));
        var afterSpikes = Read<DroppedRow>(fresh, loaded.Transform(windows));
        Assert.Equal(before.Length, after.Length);
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal(before[i].Counts, after[i].Counts);
            Assert.Equal(beforeSpikes[i].Times, afterSpikes[i].Times);
            Assert.Equal(beforeSpikes[i].Kept, afterSpikes[i].Kept);
        }

        var refit = Read<DroppedRow>(ml, Pipeline(11).Fit(windows).Transform(windows));
        Assert.All(refit.Zip(beforeSpikes), p => Assert.Equal(p.Second.Times, p.First.Times));
        var otherSeed = Read<DroppedRow>(ml, Pipeline(12).Fit(windows).Transform(windows));
        Assert.Contains(otherSeed.Zip(beforeSpikes), p => !p.First.Kept.SequenceEqual(p.Second.Kept));
        Assert.DoesNotContain(loaded.Transform(windows).Schema, c => c.Name.StartsWith("__mlneuro", StringComparison.Ordinal));
    }

    [Fact]
    public void Row_seed_is_stable_and_depends_on_every_part()
    {
        int a = RowSeed.Derive(1, "session-a", 3);
        Assert.Equal(a, RowSeed.Derive(1, "session-a", 3));
        Assert.NotEqual(a, RowSeed.Derive(2, "session-a", 3));
        Assert.NotEqual(a, RowSeed.Derive(1, "session-b", 3));
        Assert.NotEqual(a, RowSeed.Derive(1, "session-a", 4));
        Assert.True(a >= 0);
    }

    [Fact]
    public void Missing_columns_are_named_with_the_expected_type()
    {
        using var tmp = new TempFolder();
        var dataset = Open(tmp);
        var withoutSpikes = dataset.AsWindowView(new WindowViewOptions { WindowSeconds = 5 });
        var e = Assert.Throws<ArgumentException>(() => new MLContext().Transforms.DropUnits("spike").Fit(withoutSpikes));
        Assert.Contains("'spike_times'", e.Message);
        Assert.Contains("variable-length vector of Double", e.Message);

        var ml = new MLContext();
        var noIndex = ml.Transforms.DropColumns("window_index").Fit(Windows(dataset)).Transform(Windows(dataset));
        e = Assert.Throws<ArgumentException>(() => ml.Transforms.JitterSpikes("spike").Fit(noIndex));
        Assert.Contains("'window_index'", e.Message);
        Assert.Contains("Int32", e.Message);
    }

    [Fact]
    public void Bad_options_name_the_option()
    {
        var ml = new MLContext();
        Assert.Equal("MinKeepFraction", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.DropUnits("spike", options: new UnitDropoutOptions { MinKeepFraction = 2 })).ParamName);
        Assert.Equal("JitterSeconds", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.JitterSpikes("spike", options: new SpikeJitterOptions { JitterSeconds = -1 })).ParamName);
    }
}
