using Microsoft.ML;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MLNeuro.Estimators.Tests;

/// <summary>
/// ONNX written by <see cref="OnnxGraphBuilder"/> must reproduce TorchSharp within 1e-4, scored both by ONNX Runtime
/// directly and through ML.NET's ApplyOnnxModel (with rows of different sequence lengths in one IDataView), and the
/// ML.NET model must survive Model.Save / Model.Load in a fresh MLContext unchanged.
/// </summary>
public sealed class OnnxParityTests
{
    private const int D = 16;
    private const double Tolerance = 1e-4;
    private static readonly int[] Lengths = { 3, 7, 20 };
    private readonly ITestOutputHelper _log;

    public OnnxParityTests(ITestOutputHelper log) => _log = log;

    private enum MaskKind { None, Float, Bool }

    [Fact]
    public void Mlp_with_layer_norm_and_gelu_matches_torch()
    {
        TorchRuntime.EnsureAvailable();
        using var mlp = new TestMlp(D, 32, 8, new Generator(1));
        var g = new OnnxGraphBuilder("mlp");
        var x = g.Reshape(g.Input("x", OnnxElementType.Float, 1, "NxD"), 1, -1, D);
        g.Output(g.Reshape(mlp.ExportOnnx(g, x), 1, -1), "y", OnnxElementType.Float, 1, "NxOut");
        var onnx = g.ToBytes();

        var cases = Lengths.Select(n => MakeCase(n, MaskKind.None, rope: false, seed: n, forward: (t, _, _) => mlp.Forward(t))).ToList();
        AssertParity("MLP", onnx, cases, mlNet: true);
    }

    [Fact]
    public void Attention_block_without_mask_matches_torch()
    {
        TorchRuntime.EnsureAvailable();
        using var block = new TestAttentionBlock(D, heads: 4, ffHidden: 32, new Generator(2));
        var cases = Lengths.Select(n => MakeCase(n, MaskKind.None, rope: false, seed: 10 + n, forward: block.Forward)).ToList();
        AssertParity("attention, no mask", BlockGraph(block, MaskKind.None, rope: false), cases, mlNet: true);
    }

    [Fact]
    public void Attention_block_with_float_key_mask_matches_torch()
    {
        TorchRuntime.EnsureAvailable();
        using var block = new TestAttentionBlock(D, heads: 4, ffHidden: 32, new Generator(3));
        var cases = Lengths.Select(n => MakeCase(n, MaskKind.Float, rope: false, seed: 20 + n, forward: block.Forward)).ToList();
        AssertParity("attention, float mask", BlockGraph(block, MaskKind.Float, rope: false), cases, mlNet: true);
    }

    [Fact]
    public void Attention_block_with_bool_key_mask_matches_torch()
    {
        TorchRuntime.EnsureAvailable();
        using var block = new TestAttentionBlock(D, heads: 4, ffHidden: 32, new Generator(4));
        var cases = Lengths.Select(n => MakeCase(n, MaskKind.Bool, rope: false, seed: 30 + n, forward: block.Forward)).ToList();
        // ML.NET is exercised with the float mask; the bool form is the same graph after the mask conversion.
        AssertParity("attention, bool mask", BlockGraph(block, MaskKind.Bool, rope: false), cases, mlNet: false);
    }

    [Fact]
    public void Rotary_attention_block_with_mask_matches_torch()
    {
        TorchRuntime.EnsureAvailable();
        using var block = new TestAttentionBlock(D, heads: 4, ffHidden: 32, new Generator(5));
        var cases = Lengths.Select(n => MakeCase(n, MaskKind.Float, rope: true, seed: 40 + n, forward: block.Forward)).ToList();
        AssertParity("attention, rotary + float mask", BlockGraph(block, MaskKind.Float, rope: true), cases, mlNet: true);
    }

    [Fact]
    public void Mask_and_positions_change_the_output_and_rotary_attention_is_shift_invariant()
    {
        // Guards against a parity test passing because an input is silently ignored by both sides.
        TorchRuntime.EnsureAvailable();
        using var block = new TestAttentionBlock(D, heads: 4, ffHidden: 32, new Generator(6));
        var c = MakeCase(7, MaskKind.Float, rope: true, seed: 7, forward: block.Forward);
        var rotary = BlockGraph(block, MaskKind.Float, rope: true);
        var baseline = OnnxScoring.RunOrt(rotary, c.Feeds);
        var unmasked = OnnxScoring.RunOrt(BlockGraph(block, MaskKind.None, rope: true), c.Feeds[0], c.Feeds[2]);
        var noRope = OnnxScoring.RunOrt(BlockGraph(block, MaskKind.Float, rope: false), c.Feeds[0], c.Feeds[1]);
        Assert.True(MaxAbsDiff(baseline, unmasked) > 1e-2, "the key mask had no effect");
        Assert.True(MaxAbsDiff(baseline, noRope) > 1e-2, "the rotary embedding had no effect");

        // Rotary attention depends on position differences only: shifting every position leaves the output unchanged.
        var shifted = ((float[])c.Feeds[2].Data).Select(p => p + 3.25f).ToArray();
        var moved = OnnxScoring.RunOrt(rotary, c.Feeds[0], c.Feeds[1], c.Feeds[2] with { Data = shifted });
        Assert.True(MaxAbsDiff(baseline, moved) < 1e-4, "rotary attention changed under a uniform position shift");
    }

    private static byte[] BlockGraph(TestAttentionBlock block, MaskKind mask, bool rope)
    {
        var g = new OnnxGraphBuilder("attention_block");
        var x = g.Reshape(g.Input("x", OnnxElementType.Float, 1, "NxD"), 1, -1, D);
        string? additive = mask switch
        {
            // 1 keeps a key, 0 drops it; -1e9 rather than -inf keeps a fully padded row finite, as in the torch module.
            MaskKind.Float => g.Where(g.Equal(g.Input("mask", OnnxElementType.Float, 1, "N"), g.Scalar(0f)), g.Scalar(-1e9f), g.Scalar(0f)),
            MaskKind.Bool => g.Where(g.Input("mask", OnnxElementType.Bool, 1, "N"), g.Scalar(0f), g.Scalar(-1e9f)),
            _ => null,
        };
        if (additive is not null) additive = g.Unsqueeze(additive, 1, 2); // [1, N] -> [1, 1, 1, N] over heads and queries
        var positions = rope ? g.Input("positions", OnnxElementType.Float, 1, "N") : null;
        var y = block.ExportOnnx(g, x, additive, positions);
        return g.Output(g.Reshape(y, 1, -1), "y", OnnxElementType.Float, 1, "NxD_out").ToBytes();
    }

    private sealed record Case(int N, OnnxFeed[] Feeds, ParityRow Row, float[] Expected);

    private static Case MakeCase(int n, MaskKind mask, bool rope, int seed, Func<Tensor, Tensor?, Tensor?, Tensor> forward)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var generator = new Generator((ulong)seed);
        var x = torch.randn(new long[] { 1, n, D }, generator: generator);
        // The last two tokens are padding (never all of them), so masking changes the output.
        var keep = Enumerable.Range(0, n).Select(i => i < n - 2 ? 1f : 0f).ToArray();
        // Irregular, increasing positions (e.g. spike times in bins) exercise the in-graph cos/sin.
        var pos = torch.cumsum(torch.rand(new long[] { 1, n }, generator: generator) * 2, 1);
        var expected = forward(x, mask == MaskKind.None ? null : torch.tensor(keep).view(1, n), rope ? pos : null);

        var xFlat = x.reshape(-1).data<float>().ToArray();
        var posFlat = pos.reshape(-1).data<float>().ToArray();
        var feeds = new List<OnnxFeed> { new("x", xFlat, new long[] { 1, xFlat.Length }) };
        if (mask == MaskKind.Float) feeds.Add(new("mask", keep, new long[] { 1, n }));
        if (mask == MaskKind.Bool) feeds.Add(new("mask", keep.Select(k => k != 0).ToArray(), new long[] { 1, n }));
        if (rope) feeds.Add(new("positions", posFlat, new long[] { 1, n }));
        var row = new ParityRow { X = xFlat, Mask = mask == MaskKind.None ? Array.Empty<float>() : keep, Positions = rope ? posFlat : Array.Empty<float>() };
        return new Case(n, feeds.ToArray(), row, expected.reshape(-1).data<float>().ToArray());
    }

    private void AssertParity(string label, byte[] onnx, IReadOnlyList<Case> cases, bool mlNet)
    {
        double ortMax = 0;
        foreach (var c in cases)
        {
            var actual = OnnxScoring.RunOrt(onnx, c.Feeds);
            ortMax = Math.Max(ortMax, MaxAbsDiff(c.Expected, actual));
        }
        _log.WriteLine($"{label}: ONNX Runtime max abs error {ortMax:E2} over N = {string.Join(", ", cases.Select(c => c.N))}");
        Assert.True(ortMax <= Tolerance, $"{label}: ONNX Runtime differs from TorchSharp by {ortMax}");
        if (!mlNet) return;

        var inputs = cases[0].Feeds.Select(f => f.Name).ToArray();
        var ml = new MLContext(seed: 0);
        var (model, data) = OnnxScoring.FitMlNet(ml, onnx, "y", inputs, cases.Select(c => c.Row));
        var scored = OnnxScoring.Score(model, data, "y");
        _log.WriteLine($"{label}: ML.NET output column type {model.GetOutputSchema(data.Schema)["y"].Type}");
        double mlMax = 0;
        for (int i = 0; i < cases.Count; i++) mlMax = Math.Max(mlMax, MaxAbsDiff(cases[i].Expected, scored[i]));
        _log.WriteLine($"{label}: ML.NET ApplyOnnxModel max abs error {mlMax:E2}");
        Assert.True(mlMax <= Tolerance, $"{label}: ML.NET differs from TorchSharp by {mlMax}");

        // The ONNX bytes travel inside the ML.NET zip: a fresh context loads and scores identically.
        using var zip = new MemoryStream();
        ml.Model.Save(model, data.Schema, zip);
        zip.Position = 0;
        var fresh = new MLContext(seed: 1);
        var loaded = fresh.Model.Load(zip, out _);
        var reloaded = OnnxScoring.Score(loaded, fresh.Data.LoadFromEnumerable(cases.Select(c => c.Row).ToList()), "y");
        for (int i = 0; i < cases.Count; i++) Assert.Equal(scored[i], reloaded[i]);
        _log.WriteLine($"{label}: saved ML.NET model ({zip.Length} bytes) reloads with identical output");
    }

    private static double MaxAbsDiff(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double max = 0;
        for (int i = 0; i < expected.Length; i++) max = Math.Max(max, Math.Abs(expected[i] - actual[i]));
        return max;
    }
}
