using Microsoft.ML;
using Microsoft.ML.Data;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Synthetic;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Transforms.Tests;

public sealed class SelectionEstimatorTests
{
    private sealed class Row
    {
        [ColumnName("session_id")] public string Session { get; set; } = "";
        [ColumnName("unit_id")] public string Unit { get; set; } = "";
        [ColumnName("predictable_skewness")] public float Skewness { get; set; }
        [ColumnName("predictable_kurtosis")] public float Kurtosis { get; set; }
        [ColumnName("predictable")] public bool Predictable { get; set; }
        [ColumnName("predictable_flag")] public float Flag { get; set; }
    }

    private static NeuralDataset Open(TempFolder tmp)
    {
        var path = tmp.Combine("synth");
        SyntheticDataset.Write(new SyntheticOptions { Subjects = 1, SessionsPerSubject = 2, UnitsPerSession = 12, DurationSeconds = 60, Seed = 1 }, path);
        return NeuralDataset.Open(path);
    }

    private static IDataView Neurons(NeuralDataset dataset) => dataset.AsNeuronView(new NeuronViewOptions { IncludeSpikeTimes = true });

    private static Row[] Rows(MLContext ml, IDataView view) => ml.Data.CreateEnumerable<Row>(view, reuseRowObject: false).ToArray();

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    [Fact]
    public void Threshold_mode_gives_the_plain_selectors_statistics_and_verdicts()
    {
        using var tmp = new TempFolder();
        var dataset = Open(tmp);
        var recordings = dataset.ReadRecordings(RecordingParts.Spikes).ToArray();
        // Thresholds at the medians so that both verdicts occur (the paper's defaults are for calcium data).
        var probe = new PredictableNeuronSelector().Fit(recordings);
        var options = new PredictableNeuronOptions
        {
            MaxSkewness = Median(probe.Units.Select(u => u.Skewness)),
            MaxKurtosis = Median(probe.Units.Select(u => u.Kurtosis)),
        };
        var plain = new PredictableNeuronSelector(options).Fit(recordings);

        var ml = new MLContext(0);
        var neurons = Neurons(dataset);
        var rows = Rows(ml, ml.Transforms.SelectPredictableNeurons("predictable", options: options).Fit(neurons).Transform(neurons));
        Assert.Equal(24, rows.Length);
        foreach (var row in rows)
        {
            Assert.True(plain.TryGet(row.Session, row.Unit, out var unit));
            Assert.Equal((float)unit.Skewness, row.Skewness);
            Assert.Equal((float)unit.Kurtosis, row.Kurtosis);
            Assert.Equal(unit.IsPredictable, row.Predictable);
            Assert.Equal(unit.IsPredictable ? 1f : 0f, row.Flag);
        }
        Assert.InRange(rows.Count(r => r.Predictable), 1, 23);
        Assert.Equal(plain.PredictableCount, rows.Count(r => r.Predictable));
    }

    [Fact]
    public void Quantile_mode_flags_about_q_of_the_fitted_units_nested_with_the_plain_rule()
    {
        using var tmp = new TempFolder();
        var dataset = Open(tmp);
        var options = new PredictableNeuronOptions { Mode = PredictableNeuronMode.Quantile, Quantile = 0.5 };
        var plain = new PredictableNeuronSelector(options).Fit(dataset.ReadRecordings(RecordingParts.Spikes));
        var ml = new MLContext(0);
        var neurons = Neurons(dataset);
        var selection = ml.Transforms.SelectPredictableNeurons("predictable", options: options).Fit(neurons);
        var rows = Rows(ml, selection.Transform(neurons));

        // The fitted transformer exposes the thresholds it learned, and they are exactly what it applies.
        var learned = selection.Options;
        Assert.Equal(options.BinSeconds, learned.BinSeconds);
        foreach (var row in rows)
        {
            Assert.True(plain.TryGet(row.Session, row.Unit, out var unit));
            Assert.Equal(unit.IsEligible && unit.Skewness <= learned.MaxSkewness && unit.Kurtosis <= learned.MaxKurtosis, row.Predictable);
        }

        var flagged = rows.Where(r => r.Predictable).Select(r => (r.Session, r.Unit)).ToHashSet();
        var chosen = plain.Units.Where(u => u.IsPredictable).Select(u => (u.SessionId, u.UnitId)).ToHashSet();
        int target = plain.EligibleCount / 2;
        Assert.InRange(flagged.Count, target - 3, target + 3);
        Assert.True(flagged.IsSubsetOf(chosen) || chosen.IsSubsetOf(flagged), "the flagged set is nested with the plain rule's");
    }

    [Fact]
    public void Predictable_flag_filters_rows_with_FilterRowsByColumn()
    {
        using var tmp = new TempFolder();
        var dataset = Open(tmp);
        var ml = new MLContext(0);
        var neurons = Neurons(dataset);
        var flagged = ml.Transforms.SelectPredictableNeurons("predictable", options: new PredictableNeuronOptions { Mode = PredictableNeuronMode.Quantile, Quantile = 0.5 })
            .Fit(neurons).Transform(neurons);
        var all = Rows(ml, flagged);
        var kept = Rows(ml, ml.Data.FilterRowsByColumn(flagged, "predictable_flag", 0.5, 1.5));
        var dropped = Rows(ml, ml.Data.FilterRowsByColumn(flagged, "predictable_flag", -0.5, 0.5));
        Assert.Equal(all.Count(r => r.Predictable), kept.Length);
        Assert.All(kept, r => Assert.True(r.Predictable));
        Assert.All(dropped, r => Assert.False(r.Predictable));
        Assert.Equal(all.Length, kept.Length + dropped.Length);
        Assert.NotEmpty(kept);
    }

    [Fact]
    public void Saved_and_loaded_quantile_model_keeps_its_learned_thresholds()
    {
        using var tmp = new TempFolder();
        var dataset = Open(tmp);
        var ml = new MLContext(0);
        var neurons = Neurons(dataset);
        // Fit on one session only, so the thresholds are learned numbers and not re-derivable from the data transformed.
        var firstSession = dataset.Sessions[0].SessionId;
        var fitData = ml.Data.FilterByCustomPredicate<SessionRow>(neurons, r => r.Session != firstSession);
        var model = ml.Transforms.SelectPredictableNeurons("predictable", options: new PredictableNeuronOptions { Mode = PredictableNeuronMode.Quantile, Quantile = 0.3 }).Fit(fitData);
        var before = Rows(ml, model.Transform(neurons));
        var file = tmp.Combine("model.zip");
        ml.Model.Save(model, neurons.Schema, file);

        var fresh = new MLContext(1);
        MLNeuroComponents.Register(fresh);
        var loaded = fresh.Model.Load(file, out _);
        var after = Rows(fresh, loaded.Transform(neurons));
        Assert.Equal(before.Length, after.Length);
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal((before[i].Session, before[i].Unit), (after[i].Session, after[i].Unit));
            Assert.Equal(before[i].Skewness, after[i].Skewness);
            Assert.Equal(before[i].Kurtosis, after[i].Kurtosis);
            Assert.Equal(before[i].Predictable, after[i].Predictable);
        }
        Assert.Contains(after, r => r.Predictable);
        Assert.DoesNotContain(loaded.Transform(neurons).Schema, c => c.Name.StartsWith("__mlneuro", StringComparison.Ordinal));
    }

    private sealed class SessionRow
    {
        [ColumnName("session_id")] public string Session { get; set; } = "";
    }

    [Fact]
    public void Missing_spike_times_are_named_with_the_expected_type()
    {
        using var tmp = new TempFolder();
        var dataset = Open(tmp);
        var withoutSpikes = dataset.AsNeuronView();
        var e = Assert.Throws<ArgumentException>(() => new MLContext().Transforms.SelectPredictableNeurons("predictable").Fit(withoutSpikes));
        Assert.Contains("'spike_times'", e.Message);
        Assert.Contains("variable-length vector of Double", e.Message);
    }

    [Theory]
    [InlineData("Quantile")]
    [InlineData("BinSeconds")]
    [InlineData("IntervalKind")]
    [InlineData("Source")]
    public void Bad_options_name_the_option(string option)
    {
        var options = option switch
        {
            "Quantile" => new PredictableNeuronOptions { Quantile = 2 },
            "BinSeconds" => new PredictableNeuronOptions { BinSeconds = 0 },
            "IntervalKind" => new PredictableNeuronOptions { IntervalKind = "train" },
            _ => new PredictableNeuronOptions { Source = ActivitySource.CalciumTraces },
        };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MLContext().Transforms.SelectPredictableNeurons("predictable", options: options));
        Assert.Equal(option, e.ParamName);
    }
}
