using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit.Abstractions;
using static TorchSharp.torch;
using static MLNeuro.Estimators.Tests.RotaryCrossAttentionTests;

namespace MLNeuro.Estimators.Tests;

/// <summary>
/// The exported POYO encoder block must match TorchSharp within 1e-4: batched through ONNX Runtime with symbolic
/// batch, latent and token counts, and one window per row through ML.NET's ApplyOnnxModel (flat inputs, docs/onnx-export.md).
/// </summary>
public sealed class RotaryCrossAttentionOnnxTests
{
    private const int Dim = 16, ContextDim = 12;
    private const double Tolerance = 1e-4;
    private static readonly (int Batch, int Latents, int Tokens)[] Shapes = { (2, 3, 7), (1, 4, 20), (3, 1, 5) };
    private readonly ITestOutputHelper _log;

    public RotaryCrossAttentionOnnxTests(ITestOutputHelper log) => _log = log;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Batched_graph_matches_torch_in_onnx_runtime(bool rotateValue)
    {
        TorchTestHelpers.UseOneThread();
        using var block = NormsRandomised(Block(rotateValue, seed: 21));
        var onnx = BatchedGraph(block);
        double max = 0;
        foreach (var (batch, nq, nk) in Shapes)
        {
            using var scope = NewDisposeScope();
            var (q, c, tq, tk) = Inputs(batch, nq, nk, seed: (ulong)(100 + nk));
            // Sample b has its last b tokens padded, so batches mix padded and unpadded rows.
            var padding = Enumerable.Range(0, batch * nk).Select(i => i % nk >= nk - i / nk).ToArray();
            var expected = TorchSharpOutput(block, q, c, tq, tk, tensor(padding).view(batch, nk));
            var actual = OnnxScoring.RunOrt(onnx,
                new OnnxFeed("latents", Floats(q), new long[] { batch, nq, Dim }),
                new OnnxFeed("tokens", Floats(c), new long[] { batch, nk, ContextDim }),
                new OnnxFeed("latent_times", Doubles(tq), new long[] { batch, nq }),
                new OnnxFeed("token_times", Doubles(tk), new long[] { batch, nk }),
                new OnnxFeed("padding", padding, new long[] { batch, nk }));
            max = Math.Max(max, MaxAbsDiff(expected, actual));
        }
        _log.WriteLine($"rotateValue {rotateValue}: ONNX Runtime max abs error {max:E2}");
        Assert.True(max <= Tolerance, $"ONNX Runtime differs from TorchSharp by {max}");
    }

    [Fact]
    public void Flat_graph_matches_torch_through_ml_net_and_survives_save_load()
    {
        TorchTestHelpers.UseOneThread();
        using var block = NormsRandomised(Block(rotateValue: true, seed: 22));
        var rows = new List<CrossAttentionRow>();
        var expected = new List<float[]>();
        foreach (var (_, nq, nk) in Shapes)
        {
            using var scope = NewDisposeScope();
            var (q, c, tq, tk) = Inputs(1, nq, nk, seed: (ulong)(200 + nk));
            var padding = Enumerable.Range(0, nk).Select(i => i >= nk - 2 ? 1f : 0f).ToArray();
            expected.Add(TorchSharpOutput(block, q, c, tq, tk, tensor(padding).view(1, nk) != 0));
            rows.Add(new CrossAttentionRow { Latents = Floats(q), Tokens = Floats(c), LatentTimes = Doubles(tq), TokenTimes = Doubles(tk), Padding = padding });
        }
        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromEnumerable(rows);
        using var stream = new MemoryStream(FlatGraph(block));
        var model = ml.Transforms.ApplyOnnxModel(new[] { "y" }, new[] { "latents", "tokens", "latent_times", "token_times", "padding" }, stream).Fit(data);
        var scored = model.Transform(data).GetColumn<float[]>("y").ToArray();
        double max = expected.Select((e, i) => MaxAbsDiff(e, scored[i])).Max();
        _log.WriteLine($"ML.NET ApplyOnnxModel max abs error {max:E2}");
        Assert.True(max <= Tolerance, $"ML.NET differs from TorchSharp by {max}");

        using var zip = new MemoryStream();
        ml.Model.Save(model, data.Schema, zip);
        zip.Position = 0;
        var fresh = new MLContext(seed: 1);
        var reloaded = fresh.Model.Load(zip, out _).Transform(fresh.Data.LoadFromEnumerable(rows)).GetColumn<float[]>("y").ToArray();
        for (int i = 0; i < rows.Count; i++) Assert.Equal(scored[i], reloaded[i]);
    }

    // Batched inputs with every size symbolic; the padding mask is bool, true = padded, as in TorchSharp.
    private static byte[] BatchedGraph(CrossAttentionBlock block)
    {
        var g = new OnnxGraphBuilder("poyo_encoder_block");
        var q = g.Input("latents", OnnxElementType.Float, "batch", "latents", Dim);
        var c = g.Input("tokens", OnnxElementType.Float, "batch", "tokens", ContextDim);
        var rotary = PoyoRotary();
        var qAngles = rotary.ExportAngles(g, g.Input("latent_times", OnnxElementType.Double, "batch", "latents"));
        var cAngles = rotary.ExportAngles(g, g.Input("token_times", OnnxElementType.Double, "batch", "tokens"));
        var padding = g.Input("padding", OnnxElementType.Bool, "batch", "tokens");
        // -1e9 rather than -inf, as every MLNeuro graph; [batch, tokens] -> [batch, 1, 1, tokens] over heads and latents.
        var mask = g.Unsqueeze(g.Where(padding, g.Scalar(-1e9f), g.Scalar(0f)), 1, 2);
        var y = block.ExportOnnx(g, q, c, qAngles, cAngles, mask);
        return g.Output(y, "y", OnnxElementType.Float, "batch", "latents", Dim).ToBytes();
    }

    // One window per ML.NET row: flat [1, n] inputs reshaped in the graph; float padding (1 = padded).
    private static byte[] FlatGraph(CrossAttentionBlock block)
    {
        var g = new OnnxGraphBuilder("poyo_encoder_block_flat");
        var q = g.Reshape(g.Input("latents", OnnxElementType.Float, 1, "NqxD"), 1, -1, Dim);
        var c = g.Reshape(g.Input("tokens", OnnxElementType.Float, 1, "NkxC"), 1, -1, ContextDim);
        var rotary = PoyoRotary();
        var qAngles = rotary.ExportAngles(g, g.Input("latent_times", OnnxElementType.Double, 1, "Nq"));
        var cAngles = rotary.ExportAngles(g, g.Input("token_times", OnnxElementType.Double, 1, "Nk"));
        var padding = g.Input("padding", OnnxElementType.Float, 1, "Nk");
        var mask = g.Unsqueeze(g.Where(g.Equal(padding, g.Scalar(1f)), g.Scalar(-1e9f), g.Scalar(0f)), 1, 2);
        var y = block.ExportOnnx(g, q, c, qAngles, cAngles, mask);
        return g.Output(g.Reshape(y, 1, -1), "y", OnnxElementType.Float, 1, "NqxD_out").ToBytes();
    }

    private static float[] TorchSharpOutput(CrossAttentionBlock block, Tensor q, Tensor c, Tensor tq, Tensor tk, Tensor padding)
    {
        using var noGrad = no_grad();
        return Floats(block.forward(q, c, tq, tk, padding));
    }

    // LayerNorm starts at ones/zeros; random affine parameters make a dropped or swapped norm show up in parity.
    private static CrossAttentionBlock NormsRandomised(CrossAttentionBlock block)
    {
        using var noGrad = no_grad();
        using var g = new Generator(5);
        foreach (var (name, p) in block.named_parameters())
        {
            if (!name.Contains("norm")) continue;
            using var noise = randn(p.shape, generator: g) * 0.2;
            if (name.EndsWith("weight")) p.add_(noise); else p.copy_(noise);
        }
        return block;
    }

    private static float[] Floats(Tensor t) => t.contiguous().reshape(-1).data<float>().ToArray();

    private static double[] Doubles(Tensor t) => t.contiguous().reshape(-1).data<double>().ToArray();

    private static double MaxAbsDiff(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        return expected.Zip(actual, (e, a) => (double)Math.Abs(e - a)).DefaultIfEmpty(0).Max();
    }
}

/// <summary>One POYO window for ML.NET: flat latents and tokens, their times (float64 seconds) and token padding.</summary>
public sealed class CrossAttentionRow
{
    /// <summary>[latents, dim] flattened.</summary>
    [ColumnName("latents")] public float[] Latents { get; set; } = Array.Empty<float>();

    /// <summary>[tokens, contextDim] flattened.</summary>
    [ColumnName("tokens")] public float[] Tokens { get; set; } = Array.Empty<float>();

    /// <summary>Latent timestamps, seconds.</summary>
    [ColumnName("latent_times")] public double[] LatentTimes { get; set; } = Array.Empty<double>();

    /// <summary>Token timestamps, seconds.</summary>
    [ColumnName("token_times")] public double[] TokenTimes { get; set; } = Array.Empty<double>();

    /// <summary>1 where the token is padding, 0 where it is real.</summary>
    [ColumnName("padding")] public float[] Padding { get; set; } = Array.Empty<float>();
}
