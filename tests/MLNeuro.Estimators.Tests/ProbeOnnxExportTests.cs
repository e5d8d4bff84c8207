using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNeuro.Estimators.Tests;

/// <summary>
/// The README's last step: an ML.NET probe on neuron embeddings (normalise + maximum-entropy classifier) exported with
/// ConvertToOnnx scores in ONNX Runtime as it does in ML.NET. Guards the ML.NET / OnnxConverter versions we pin.
/// </summary>
public sealed class ProbeOnnxExportTests
{
    private sealed class Row
    {
        public string Label { get; set; } = "";

        [VectorType(4)]
        public float[] Features { get; set; } = [];
    }

    private sealed class Scored
    {
        [ColumnName("Score")]
        public float[] Score { get; set; } = [];
    }

    [Fact]
    public void Converted_probe_scores_like_the_ml_net_pipeline()
    {
        var random = new Random(3);
        var classes = new[] { "pyramidal", "interneuron", "bursting" };
        var rows = Enumerable.Range(0, 90).Select(i =>
        {
            int c = i % 3;
            return new Row { Label = classes[c], Features = Enumerable.Range(0, 4).Select(j => (float)(random.NextDouble() + (j == c ? 2.0 : 0.0))).ToArray() };
        }).ToArray();
        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy())
            .Fit(data);
        var expected = ml.Data.CreateEnumerable<Scored>(model.Transform(data), reuseRowObject: false).Select(s => s.Score).ToArray();

        using var stream = new MemoryStream();
        ml.Model.ConvertToOnnx(model, data, stream);
        var onnx = stream.ToArray();
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx);
        var scoreOutput = session.OutputNames.Single(n => n.StartsWith("Score", StringComparison.Ordinal));
        for (int i = 0; i < rows.Length; i += 17)
        {
            using var features = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(rows[i].Features, [1, 4]);
            using var label = Microsoft.ML.OnnxRuntime.OrtValue.CreateFromStringTensor(
                Microsoft.ML.OnnxRuntime.Tensors.ArrayTensorExtensions.ToTensor(new[] { rows[i].Label }).Reshape([1, 1]));
            var inputs = new Dictionary<string, Microsoft.ML.OnnxRuntime.OrtValue> { ["Features"] = features, ["Label"] = label };
            using var options = new Microsoft.ML.OnnxRuntime.RunOptions();
            using var outputs = session.Run(options, inputs, [scoreOutput]);
            var scores = outputs[0].GetTensorDataAsSpan<float>().ToArray();
            Assert.Equal(expected[i].Length, scores.Length);
            for (int k = 0; k < scores.Length; k++) Assert.Equal(expected[i][k], scores[k], 1e-4);
            Assert.Equal(Array.IndexOf(expected[i], expected[i].Max()), Array.IndexOf(scores, scores.Max()));
        }
    }
}
