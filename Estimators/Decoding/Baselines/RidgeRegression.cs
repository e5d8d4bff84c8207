using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace MLNeuro.Estimators;

/// <summary>
/// Ridge regression of one target on fixed-width features with ML.NET: SDCA with squared loss, L2 only (L1 = 0), one
/// thread (deterministic for a given context seed). Also the ML.NET plumbing the Wiener filter needs around it: feature
/// rows as an <see cref="IDataView"/>, scoring, save and load.
/// </summary>
internal static class RidgeRegression
{
    /// <summary>A row of features with its label (the label is unused when scoring).</summary>
    internal sealed class Row
    {
        public float Label { get; set; }

        public float[] Features { get; set; } = [];
    }

    /// <summary>Splits row-major [count, width] features into one array per row (shared by every channel's view).</summary>
    public static float[][] Rows(float[] features, int count, int width)
    {
        var rows = new float[count][];
        for (int i = 0; i < count; i++) rows[i] = features.AsSpan(i * width, width).ToArray();
        return rows;
    }

    /// <summary>A view of the rows whose target of <paramref name="channel"/> is finite (labels = those targets).</summary>
    public static IDataView View(MLContext ml, float[][] rows, float[] targets, int channels, int channel, int width)
    {
        var data = new List<Row>(rows.Length);
        for (int i = 0; i < rows.Length; i++)
        {
            float y = targets[i * channels + channel];
            if (float.IsFinite(y)) data.Add(new Row { Label = y, Features = rows[i] });
        }
        return ml.Data.LoadFromEnumerable(data, Schema(width));
    }

    /// <summary>A view of rows to score (labels zero).</summary>
    public static IDataView View(MLContext ml, float[][] rows, int width) =>
        ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Features = r }), Schema(width));

    /// <summary>Fits ridge regression with L2 strength <paramref name="l2"/> on a cached view.</summary>
    public static ITransformer Fit(MLContext ml, IDataView train, double l2, int maxIterations)
    {
        var trainer = ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
        {
            LabelColumnName = nameof(Row.Label),
            FeatureColumnName = nameof(Row.Features),
            LossFunction = new SquaredLoss(),
            L2Regularization = (float)l2,
            L1Regularization = 0,
            NumberOfThreads = 1,
            MaximumNumberOfIterations = maxIterations,
        });
        return trainer.Fit(train);
    }

    /// <summary>The model's score of every row of <paramref name="view"/>.</summary>
    public static float[] Score(ITransformer model, IDataView view) =>
        model.Transform(view).GetColumn<float>("Score").ToArray();

    /// <summary>The model as ML.NET model-zip bytes (<c>mlContext.Model.Save</c>).</summary>
    public static byte[] Save(MLContext ml, ITransformer model, int width)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, ml.Data.LoadFromEnumerable(Array.Empty<Row>(), Schema(width)).Schema, stream);
        return stream.ToArray();
    }

    /// <summary>A model saved by <see cref="Save"/>.</summary>
    public static ITransformer Load(MLContext ml, ReadOnlyMemory<byte> bytes)
    {
        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        return ml.Model.Load(stream, out _);
    }

    private static SchemaDefinition Schema(int width)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return schema;
    }
}
