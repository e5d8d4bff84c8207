using Microsoft.ML;
using Microsoft.ML.Data;
using static MLNeuro.Estimators.Tests.TorchTestHelpers;
using static TorchSharp.torch;

namespace MLNeuro.Estimators.Tests;

public sealed class PoyoOnnxTests
{
    private static readonly double[] Mean = [0.5, -2.0];
    private static readonly double[] Std = [2.0, 0.25];

    private static PoyoModel Model(double routingCapacity = 0)
    {
        using var g = new Generator(11);
        return new PoyoModel(PoyoModelOptions.Tiny with { Depth = 2, RoutingCapacity = routingCapacity }, 7, 3, 2, 1.0, g);
    }

    /// One window: tokens of units 1, 4, 6 (start, spikes, end) at times a recording 1000 s long would give.
    private static (long[] Unit, long[] Type, float[] Value, double[] Time, double[] Queries) Window(int seed)
    {
        var random = new Random(seed);
        int spikes = 20 + seed;
        var units = new List<long> { 1, 4, 6 };
        var types = new List<long> { 1, 1, 1 };
        var times = new List<double> { 0, 0, 0 };
        for (int i = 0; i < spikes; i++) { units.Add(units[random.Next(3)]); types.Add(0); times.Add(random.NextDouble()); }
        units.AddRange([1, 4, 6]);
        types.AddRange([2, 2, 2]);
        times.AddRange([1.0, 1.0, 1.0]);
        var queries = Enumerable.Range(0, 5 + seed).Select(k => (k + 0.5) / (5 + seed)).ToArray();
        return (units.ToArray(), types.ToArray(), new float[units.Count], times.ToArray(), queries);
    }

    private static float[] Torch(PoyoModel model, (long[] Unit, long[] Type, float[] Value, double[] Time, double[] Queries) w, long session)
    {
        int n = w.Unit.Length, q = w.Queries.Length;
        using var batch = new PoyoBatch
        {
            UnitIndex = tensor(w.Unit).view(1, n),
            TokenType = tensor(w.Type).view(1, n),
            TokenValue = tensor(w.Value).view(1, n),
            TokenTimes = tensor(w.Time, ScalarType.Float64).view(1, n),
            TokenPadding = zeros(1, n, ScalarType.Bool),
            SessionIndex = tensor(new[] { session }),
            QueryTimes = tensor(w.Queries, ScalarType.Float64).view(1, q),
        };
        model.eval();
        using var _ = no_grad();
        var normalised = Values(model.forward(batch));
        return normalised.Select((v, i) => (float)(v * Std[i % 2] + Mean[i % 2])).ToArray();
    }

    // 0: dense; 0.25: Mixture-of-Depths on the second block (top-k of the window's latents, exported with TopK/ScatterElements).
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.25)]
    public void Onnx_graph_matches_torchsharp_through_onnx_runtime_for_any_token_and_query_count(double routingCapacity)
    {
        UseOneThread();
        using var model = Model(routingCapacity);
        var onnx = model.ExportOnnx(Mean, Std);
        foreach (int seed in new[] { 0, 7 })
        {
            var w = Window(seed);
            var expected = Torch(model, w, session: 2);
            var actual = OnnxScoring.RunOrt(onnx,
                new OnnxFeed("unit_index", w.Unit, [1, w.Unit.Length]),
                new OnnxFeed("token_type", w.Type, [1, w.Unit.Length]),
                new OnnxFeed("token_value", w.Value, [1, w.Unit.Length]),
                new OnnxFeed("token_times", w.Time, [1, w.Unit.Length]),
                new OnnxFeed("session_index", new long[] { 2 }, [1, 1]),
                new OnnxFeed("query_times", w.Queries, [1, w.Queries.Length]));
            Assert.Equal(expected.Length, actual.Length);
            double worst = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst < 1e-4, $"max |ONNX - TorchSharp| = {worst}");
        }
    }

    [Fact]
    public void Ml_net_scores_the_graph_and_the_saved_pipeline_reloads_without_mlneuro()
    {
        UseOneThread();
        using var model = Model();
        var onnx = model.ExportOnnx(Mean, Std);
        var windows = new[] { Window(1), Window(4) };
        var rows = windows.Select(w => new WindowRow
        {
            UnitIndex = w.Unit, TokenType = w.Type, TokenValue = w.Value, TokenTimes = w.Time, SessionIndex = [1], QueryTimes = w.Queries,
        }).ToList();
        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromEnumerable(rows);
        using var stream = new MemoryStream(onnx);
        var pipeline = ml.Transforms.ApplyOnnxModel(["behavior"], ["unit_index", "token_type", "token_value", "token_times", "session_index", "query_times"], stream);
        var fitted = pipeline.Fit(data);
        var scored = fitted.Transform(data).GetColumn<float[]>("behavior").ToArray();
        for (int i = 0; i < windows.Length; i++)
        {
            var expected = Torch(model, windows[i], session: 1);
            Assert.True(expected.Zip(scored[i], (a, b) => Math.Abs(a - b)).Max() < 1e-4);
        }

        using var saved = new MemoryStream();
        ml.Model.Save(fitted, data.Schema, saved);
        saved.Position = 0;
        var reloaded = new MLContext().Model.Load(saved, out _);
        var again = reloaded.Transform(data).GetColumn<float[]>("behavior").ToArray();
        Assert.Equal(scored[0], again[0]);
    }

    public sealed class WindowRow
    {
        [ColumnName("unit_index")] public long[] UnitIndex { get; set; } = [];
        [ColumnName("token_type")] public long[] TokenType { get; set; } = [];
        [ColumnName("token_value")] public float[] TokenValue { get; set; } = [];
        [ColumnName("token_times")] public double[] TokenTimes { get; set; } = [];
        [ColumnName("session_index"), VectorType(1)] public long[] SessionIndex { get; set; } = [];
        [ColumnName("query_times")] public double[] QueryTimes { get; set; } = [];
    }
}
