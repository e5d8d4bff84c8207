using Microsoft.ML;
using Microsoft.ML.Data;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Synthetic;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Transforms.Tests;

/// <summary>One small synthetic dataset shared by the estimator tests (2 subjects x 16 units x 60 s).</summary>
public sealed class NeuronFeatureEstimatorData : IDisposable
{
    private readonly TempFolder _tmp = new();

    public NeuronFeatureEstimatorData()
    {
        var path = _tmp.Combine("synth");
        SyntheticDataset.Write(new SyntheticOptions { Subjects = 2, SessionsPerSubject = 1, UnitsPerSession = 16, DurationSeconds = 60, Seed = 1 }, path);
        Dataset = NeuralDataset.Open(path);
    }

    public NeuralDataset Dataset { get; }

    public string Combine(string name) => _tmp.Combine(name);

    public void Dispose() => _tmp.Dispose();
}

public sealed class NeuronFeatureEstimatorTests : IClassFixture<NeuronFeatureEstimatorData>
{
    private readonly NeuronFeatureEstimatorData _data;

    public NeuronFeatureEstimatorTests(NeuronFeatureEstimatorData data) => _data = data;

    private sealed class Row
    {
        [ColumnName("session_id")] public string Session { get; set; } = "";
        [ColumnName("unit_index")] public int Unit { get; set; }
        [ColumnName("features")] public float[] Features { get; set; } = Array.Empty<float>();
    }

    private sealed class Prediction
    {
        [ColumnName("PredictedLabel")] public uint Predicted { get; set; }
    }

    private IDataView Neurons() => _data.Dataset.AsNeuronView(new NeuronViewOptions { IncludeSpikeTimes = true });

    private void AssertEqualsDirectComputation(Row[] rows, NeuronFeatureOptions options)
    {
        Assert.Equal(32, rows.Length);
        var recordings = _data.Dataset.ReadRecordings(RecordingParts.Spikes).ToDictionary(r => r.SessionId);
        var expected = new float[NeuronFeatureEstimator.FeatureCount];
        foreach (var row in rows)
        {
            var r = recordings[row.Session];
            NeuronFeatures.Compute(r.Spikes.TimesOf(row.Unit), r.StartSeconds, r.EndSeconds, options, expected);
            Assert.Equal(expected, row.Features);
        }
    }

    [Fact]
    public void Fixed_length_equals_the_default_layout()
    {
        Assert.Equal(NeuronFeatureEstimator.FeatureCount, NeuronFeatures.Names(new NeuronFeatureOptions()).Count);
    }

    [Fact]
    public void Features_equal_direct_computation_on_each_units_spikes()
    {
        var ml = new MLContext(0);
        var neurons = Neurons();
        var output = ml.Transforms.ExtractNeuronFeatures("features").Fit(neurons).Transform(neurons);
        var type = Assert.IsType<VectorDataViewType>(output.Schema["features"].Type);
        Assert.Equal(NeuronFeatureEstimator.FeatureCount, type.Size);
        Assert.Equal(NumberDataViewType.Single, type.ItemType);
        AssertEqualsDirectComputation(ml.Data.CreateEnumerable<Row>(output, reuseRowObject: false).ToArray(), new NeuronFeatureOptions());
    }

    [Fact]
    public void Saved_and_loaded_model_gives_identical_features_and_keeps_its_options()
    {
        // Same length as the default (25 bins of 40 ms = 50 bins of 20 ms) but different values: the loaded model must use these.
        var options = new NeuronFeatureOptions { WideAcgBinSeconds = 0.04, WideAcgMaxLagSeconds = 2.0, FewSpikesThreshold = 50, MaxDegreeOfParallelism = 1 };
        var ml = new MLContext(0);
        var neurons = Neurons();
        var model = ml.Transforms.ExtractNeuronFeatures("features", options: options).Fit(neurons);
        var before = ml.Data.CreateEnumerable<Row>(model.Transform(neurons), false).ToArray();
        AssertEqualsDirectComputation(before, options);
        var file = _data.Combine("features-model.zip");
        ml.Model.Save(model, neurons.Schema, file);

        var fresh = new MLContext(1);
        MLNeuroComponents.Register(fresh);
        var loaded = fresh.Model.Load(file, out _);
        var transformed = loaded.Transform(neurons);
        var after = fresh.Data.CreateEnumerable<Row>(transformed, false).ToArray();
        Assert.Equal(before.Length, after.Length);
        for (int i = 0; i < before.Length; i++) Assert.Equal(before[i].Features, after[i].Features);
        AssertEqualsDirectComputation(after, options);
        Assert.DoesNotContain(transformed.Schema, c => c.Name.StartsWith("__mlneuro", StringComparison.Ordinal));
    }

    [Fact]
    public void Standard_trainer_pipeline_fits_and_predicts()
    {
        var ml = new MLContext(0);
        var neurons = Neurons();
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", ViewColumnNames.CellType)
            .Append(ml.Transforms.ExtractNeuronFeatures("features"))
            .Append(ml.Transforms.NormalizeMeanVariance("features"))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("Label", "features"));
        var model = pipeline.Fit(neurons);
        var predictions = ml.Data.CreateEnumerable<Prediction>(model.Transform(neurons), false).ToArray();
        Assert.Equal(32, predictions.Length);
        Assert.All(predictions, p => Assert.True(p.Predicted > 0)); // key 0 would mean "missing"
    }

    [Fact]
    public void Missing_spike_times_are_named_with_the_expected_type()
    {
        var withoutSpikes = _data.Dataset.AsNeuronView(new NeuronViewOptions { IncludeSpikeTimes = false });
        var e = Assert.Throws<ArgumentException>(() => new MLContext().Transforms.ExtractNeuronFeatures("features").Fit(withoutSpikes));
        Assert.Contains("'spike_times'", e.Message);
        Assert.Contains("variable-length vector of Double", e.Message);
        Assert.Contains("ExtractNeuronFeatures", e.Message);
    }

    [Fact]
    public void Wrong_column_type_is_named()
    {
        var ml = new MLContext();
        var neurons = Neurons();
        var floatStart = ml.Transforms.Conversion.ConvertType("start_s", "start_s", DataKind.Single).Fit(neurons).Transform(neurons);
        var e = Assert.Throws<ArgumentException>(() => ml.Transforms.ExtractNeuronFeatures("features").Fit(floatStart));
        Assert.Contains("'start_s'", e.Message);
        Assert.Contains("Double", e.Message);
    }

    [Theory]
    [InlineData("FanoWindowSeconds")]
    [InlineData("IsiHistogramBins")]
    [InlineData("NarrowAcgMaxLagSeconds")]
    [InlineData("WideAcgBinSeconds")]
    [InlineData("LogAcgBins")]
    public void Options_that_change_the_length_are_rejected_naming_the_option(string option)
    {
        var options = option switch
        {
            "FanoWindowSeconds" => new NeuronFeatureOptions { FanoWindowSeconds = new[] { 0.1, 0.5, 1.0 } },
            "IsiHistogramBins" => new NeuronFeatureOptions { IsiHistogramBins = 30 },
            "NarrowAcgMaxLagSeconds" => new NeuronFeatureOptions { NarrowAcgMaxLagSeconds = 0.1 },
            "WideAcgBinSeconds" => new NeuronFeatureOptions { WideAcgBinSeconds = 0.01 },
            _ => new NeuronFeatureOptions { LogAcgBins = 10 },
        };
        var e = Assert.Throws<ArgumentException>(() => new MLContext().Transforms.ExtractNeuronFeatures("features", options: options));
        Assert.Equal("options", e.ParamName);
        Assert.Contains(option, e.Message);
        Assert.Contains(NeuronFeatureEstimator.FeatureCount.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
    }

    [Fact]
    public void Invalid_options_name_the_option()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new MLContext().Transforms.ExtractNeuronFeatures("features", options: new NeuronFeatureOptions { MomentBinSeconds = 0 }));
        Assert.Equal("MomentBinSeconds", e.ParamName);
    }
}
