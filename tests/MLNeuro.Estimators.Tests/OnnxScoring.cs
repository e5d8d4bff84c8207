using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;

namespace MLNeuro.Estimators.Tests;

/// <summary>One named graph input: a float, double or bool array and its shape.</summary>
internal sealed record OnnxFeed(string Name, Array Data, long[] Shape);

/// <summary>Scores ONNX bytes directly with ONNX Runtime and through ML.NET's ApplyOnnxModel.</summary>
internal static class OnnxScoring
{
    public static float[] RunOrt(byte[] model, params OnnxFeed[] feeds)
    {
        using var session = new InferenceSession(model);
        var values = feeds.Select(f => f.Data switch
        {
            float[] x => OrtValue.CreateTensorValueFromMemory(x, f.Shape),
            bool[] b => OrtValue.CreateTensorValueFromMemory(b, f.Shape),
            double[] d => OrtValue.CreateTensorValueFromMemory(d, f.Shape),
            long[] l => OrtValue.CreateTensorValueFromMemory(l, f.Shape),
            _ => throw new ArgumentException(f.Data.GetType().Name),
        }).ToArray();
        try
        {
            using var options = new RunOptions();
            using var outputs = session.Run(options, feeds.Select(f => f.Name).ToArray(), values, session.OutputNames);
            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    /// <summary>Runs a graph with float outputs and returns every output by name, with its shape.</summary>
    public static Dictionary<string, (float[] Data, long[] Shape)> RunOrtAll(byte[] model, params OnnxFeed[] feeds)
    {
        using var session = new InferenceSession(model);
        var values = feeds.Select(f => OrtValue.CreateTensorValueFromMemory((float[])f.Data, f.Shape)).ToArray();
        try
        {
            using var options = new RunOptions();
            using var outputs = session.Run(options, feeds.Select(f => f.Name).ToArray(), values, session.OutputNames);
            return session.OutputNames.Zip(outputs).ToDictionary(
                p => p.First, p => (p.Second.GetTensorDataAsSpan<float>().ToArray(), p.Second.GetTensorTypeAndShape().Shape));
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    /// <summary>
    /// Fits ApplyOnnxModel(outputs, inputs, Stream) over rows whose float vector columns vary in length from row to
    /// row (no VectorType attribute, so the schema's vectors have no fixed size), and returns the fitted transformer
    /// with the data it was fitted on.
    /// </summary>
    public static (ITransformer Model, IDataView Data) FitMlNet(MLContext ml, byte[] onnx, string output, string[] inputs, IEnumerable<ParityRow> rows)
    {
        var data = ml.Data.LoadFromEnumerable(rows.ToList());
        using var stream = new MemoryStream(onnx);
        var model = ml.Transforms.ApplyOnnxModel(new[] { output }, inputs, stream).Fit(data);
        return (model, data);
    }

    public static float[][] Score(ITransformer model, IDataView data, string output) =>
        model.Transform(data).GetColumn<float[]>(output).ToArray();
}

/// <summary>An ML.NET row: the flattened [1, N*d] input and the optional per-token columns, each variable-length.</summary>
public sealed class ParityRow
{
    [ColumnName("x")] public float[] X { get; set; } = Array.Empty<float>();
    [ColumnName("mask")] public float[] Mask { get; set; } = Array.Empty<float>();
    [ColumnName("positions")] public float[] Positions { get; set; } = Array.Empty<float>();
}
