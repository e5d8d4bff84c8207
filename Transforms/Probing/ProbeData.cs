using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNeuro.Transforms;

/// <summary>
/// Builds the in-memory IDataView a probe fold trains or scores on. The label is a key over all classes of the run
/// (not just the classes present in this fold), so every fold's model scores the same classes in the same order and
/// a class missing from training is simply never learnt.
/// </summary>
internal static class ProbeData
{
    public const string Label = "Label";
    public const string Features = "Features";
    public const string Weight = "Weight";

    internal sealed class Row
    {
        public uint Label { get; set; }
        public float[] Features { get; set; } = [];
        public float Weight { get; set; }
    }

    public static IDataView Build(MLContext ml, ReadOnlySpan<float> features, int dimension, int classCount,
        IReadOnlyList<int> rows, int[] classOf, float[]? weightOfClass)
    {
        var data = new Row[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            int r = rows[i];
            data[i] = new Row
            {
                // 0-based: LoadFromEnumerable turns a uint into a key by adding 1 (checked: a 1-based value shifts every
                // class and drops the last as out of range). Keys read back (PredictedLabel) are 1-based.
                Label = (uint)classOf[r],
                Features = features.Slice(r * dimension, dimension).ToArray(),
                Weight = weightOfClass?[classOf[r]] ?? 1f,
            };
        }
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Label)].ColumnType = new KeyDataViewType(typeof(uint), classCount);
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        return ml.Data.LoadFromEnumerable(data, schema);
    }

    /// <summary>
    /// Inverse class frequency, scaled so the weights average 1 over the fitted units (scikit-learn's "balanced":
    /// n / (classes x n_c)); zero for classes absent from the fold.
    /// </summary>
    public static float[] BalancingWeights(IReadOnlyList<int> rows, int[] classOf, int classCount)
    {
        var counts = new int[classCount];
        foreach (var r in rows) counts[classOf[r]]++;
        int present = counts.Count(c => c > 0);
        var weights = new float[classCount];
        for (int c = 0; c < classCount; c++)
            if (counts[c] > 0) weights[c] = (float)(rows.Count / ((double)present * counts[c]));
        return weights;
    }
}
