using Onnx;
using TorchSharp;

namespace MLNeuro.Estimators.Tests;

/// <summary>The builder's model metadata, its guards, and the operator helpers the parity tests do not reach.</summary>
public sealed class OnnxGraphBuilderTests
{
    private static readonly float[] X = { -1.5f, 0.2f, 2f, 0.7f, -0.3f, 1.1f }; // [2, 3]

    [Fact]
    public void Model_declares_producer_opset_and_ir_version_and_round_trips()
    {
        var g = new OnnxGraphBuilder("identity");
        g.Output(g.Input("x", OnnxElementType.Float, 1, "N"), "x", OnnxElementType.Float, 1, "N");
        var model = ModelProto.Parser.ParseFrom(g.ToBytes());
        Assert.Equal("MLNeuro", model.ProducerName);
        Assert.Equal(OnnxGraphBuilder.IrVersion, model.IrVersion);
        var opset = Assert.Single(model.OpsetImport);
        Assert.Equal(("", 20L), (opset.Domain, opset.Version));
        Assert.Equal("N", model.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimParam);
        Assert.Equal(1, model.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimValue);
    }

    [Fact]
    public void Guards_reject_reused_names_wrong_sizes_and_old_opsets()
    {
        var g = new OnnxGraphBuilder();
        g.Input("x", OnnxElementType.Float, 1, "N");
        Assert.Throws<ArgumentException>(() => g.Input("x", OnnxElementType.Float, 1));
        Assert.Throws<ArgumentException>(() => g.Initializer(new float[5], new long[] { 2, 3 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxGraphBuilder(opset: 16));
        Assert.Throws<NotSupportedException>(() => new OnnxGraphBuilder(opset: 17).ReduceMean("x", new long[] { -1 }));
    }

    [Fact]
    public void Torch_initializers_are_contiguous_float32_in_torch_order()
    {
        TorchRuntime.EnsureAvailable();
        using var scope = torch.NewDisposeScope();
        var t = torch.arange(6, dtype: torch.ScalarType.Float64).reshape(2, 3).t(); // non-contiguous float64 view
        var proto = OnnxTensors.FromTorch("w", t);
        Assert.Equal(new long[] { 3, 2 }, proto.Dims);
        Assert.Equal((int)OnnxElementType.Float, proto.DataType);
        var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(proto.RawData.Span).ToArray();
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, values);
    }

    [Fact]
    public void Elementwise_reduction_shape_and_gemm_helpers_compute_what_they_say()
    {
        var g = new OnnxGraphBuilder("ops");
        var x = g.Input("x", OnnxElementType.Float, 2, 3);
        void Out(string value, string name) => g.Output(value, name, OnnxElementType.Float);
        Out(g.Relu(x), "relu");
        Out(g.Sigmoid(x), "sigmoid");
        Out(g.Tanh(x), "tanh");
        var w = g.Initializer(new float[] { 1, 2, 3, 4, 5, 6 }, new long[] { 3, 2 });
        Out(g.Gemm(x, w, g.Initializer(new float[] { 0.5f, -0.5f }, new long[] { 2 })), "gemm");
        Out(g.Gemm(x, g.Transpose(w, 1, 0), transB: true, alpha: 2f), "gemm_tb");
        // Layer norm spelt out, the way a custom norm would be exported.
        var centred = g.Sub(x, g.ReduceMean(x, new long[] { -1 }));
        var variance = g.ReduceMean(g.Pow(centred, g.Scalar(2f)), new long[] { -1 });
        Out(g.Div(centred, g.Sqrt(g.Add(variance, g.Scalar(1e-5f)))), "norm");
        Out(g.Slice(x, new long[] { 1 }, new long[] { 3 }, new long[] { 1 }), "slice");
        Out(g.Squeeze(g.Unsqueeze(x, 0), 0), "squeeze");
        Out(g.Cast(g.Cast(x, OnnxElementType.Bool), OnnxElementType.Float), "cast");
        var columns = g.Unsqueeze(g.Gather(g.Shape(x), g.ScalarInt64(1)), 0);
        Out(g.ConstantOfShape(columns, 2.5f), "filled");
        Out(g.Expand(g.Scalar(4f), g.Shape(x)), "expanded");
        var r = OnnxScoring.RunOrtAll(g.ToBytes(), new OnnxFeed("x", X, new long[] { 2, 3 }));

        Near(X.Select(v => Math.Max(v, 0f)), r["relu"].Data);
        Near(X.Select(v => 1 / (1 + MathF.Exp(-v))), r["sigmoid"].Data);
        Near(X.Select(MathF.Tanh), r["tanh"].Data);
        float[] product = { 9.1f, 9.8f, 5.3f, 6.8f }; // x @ w, by hand
        Near(new[] { product[0] + 0.5f, product[1] - 0.5f, product[2] + 0.5f, product[3] - 0.5f }, r["gemm"].Data);
        Near(product.Select(v => 2 * v), r["gemm_tb"].Data);
        Near(X.Chunk(3).SelectMany(row =>
        {
            var mean = row.Average();
            var sd = MathF.Sqrt(row.Select(v => (v - mean) * (v - mean)).Average() + 1e-5f);
            return row.Select(v => (v - mean) / sd);
        }), r["norm"].Data);
        Near(new[] { 0.2f, 2f, -0.3f, 1.1f }, r["slice"].Data);
        Assert.Equal(new long[] { 2, 2 }, r["slice"].Shape);
        Near(X, r["squeeze"].Data);
        Assert.Equal(new long[] { 2, 3 }, r["squeeze"].Shape);
        Near(Enumerable.Repeat(1f, 6), r["cast"].Data);
        Near(Enumerable.Repeat(2.5f, 3), r["filled"].Data);
        Near(Enumerable.Repeat(4f, 6), r["expanded"].Data);
    }

    [Fact]
    public void Gelu_operator_erf_spelling_and_opset17_fallback_agree_with_torch()
    {
        TorchRuntime.EnsureAvailable();
        using var scope = torch.NewDisposeScope();
        var input = torch.linspace(-4, 4, 33);
        var expected = torch.nn.functional.gelu(input).data<float>().ToArray();
        var xs = input.data<float>().ToArray();
        foreach (var (opset, erf) in new[] { (20L, false), (20L, true), (17L, false) })
        {
            var g = new OnnxGraphBuilder("gelu", opset);
            var x = g.Input("x", OnnxElementType.Float, "N");
            g.Output(erf ? g.GeluErf(x) : g.Gelu(x), "y", OnnxElementType.Float, "N");
            var y = OnnxScoring.RunOrtAll(g.ToBytes(), new OnnxFeed("x", xs, new long[] { xs.Length }))["y"].Data;
            Near(expected, y);
        }
    }

    private static void Near(IEnumerable<float> expected, float[] actual)
    {
        var e = expected.ToArray();
        Assert.Equal(e.Length, actual.Length);
        for (int i = 0; i < e.Length; i++) Assert.True(Math.Abs(e[i] - actual[i]) <= 1e-5, $"[{i}] expected {e[i]}, got {actual[i]}");
    }
}
