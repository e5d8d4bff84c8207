using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using Xunit.Abstractions;
using static MLNeuro.Estimators.Tests.TorchTestHelpers;
using static TorchSharp.torch;

namespace MLNeuro.Estimators.Tests;

/// <summary>
/// The NuCLR encoder: shapes, permutation equivariance over units, padding that changes nothing, gradients to every
/// parameter, seeded init, and ONNX parity (ONNX Runtime and ML.NET, with Model.Save/Load) on the Tiny preset.
/// </summary>
public sealed class NuclrEncoderTests
{
    private static readonly NuclrEncoderOptions Tiny = NuclrEncoderOptions.Tiny;
    private readonly ITestOutputHelper _log;

    public NuclrEncoderTests(ITestOutputHelper log) => _log = log;

    // Poisson-like counts 0..4 per bin, as the binning transform produces.
    private static Tensor Counts(long batch, long units, Generator generator) =>
        randint(0, 5, new long[] { batch, units, Tiny.PatchCount, Tiny.BinsPerPatch }, generator: generator).to(ScalarType.Float32);

    private static Tensor AllReal(long batch, long units) => ones(new long[] { batch, units }, ScalarType.Bool);

    [Fact]
    public void Outputs_per_unit_embeddings_and_per_patch_states()
    {
        UseOneThread();
        using var scope = NewDisposeScope();
        using var encoder = new NuclrEncoder(Tiny, new Generator(1));
        encoder.eval();
        using var noGrad = no_grad();
        var counts = Counts(2, 5, new Generator(2));
        Assert.Equal(new long[] { 2, 5, Tiny.Dim }, encoder.forward(counts, AllReal(2, 5)).shape);
        Assert.Equal(new long[] { 2, 5, Tiny.PatchCount, Tiny.Dim }, encoder.EncodePatches(counts, AllReal(2, 5)).shape);
        Assert.Throws<ArgumentException>(() => encoder.forward(counts.narrow(3, 0, 3), AllReal(2, 5)));
        Assert.Throws<ArgumentException>(() => encoder.forward(counts, AllReal(2, 4)));
    }

    [Fact]
    public void Options_default_to_the_paper_and_validation_names_the_option()
    {
        var paper = new NuclrEncoderOptions();
        Assert.Equal((256, 4, 64, 10, 50, 2, 2, 4), (paper.Dim, paper.Heads, paper.HeadDim, paper.PatchCount, paper.BinsPerPatch,
            paper.TemporalBlocks, paper.SpatioTemporalBlocks, paper.FfnMultiplier));
        Assert.Equal(10.0, paper.WindowSeconds, 9);
        Assert.Equal(nameof(NuclrEncoderOptions.HeadDim),
            Assert.Throws<ArgumentOutOfRangeException>(() => (Tiny with { HeadDim = 15 }).Validate()).ParamName);
        Assert.Equal(nameof(NuclrEncoderOptions.BinSeconds),
            Assert.Throws<ArgumentOutOfRangeException>(() => (Tiny with { BinSeconds = 0 }).Validate()).ParamName);
        Assert.Equal(nameof(NuclrEncoderOptions.PatchCount),
            Assert.Throws<ArgumentOutOfRangeException>(() => (Tiny with { PatchCount = 0 }).Validate()).ParamName);
    }

    [Fact]
    public void Permuting_units_permutes_the_embeddings()
    {
        UseOneThread();
        using var scope = NewDisposeScope();
        using var encoder = new NuclrEncoder(Tiny, new Generator(3));
        encoder.eval();
        using var noGrad = no_grad();
        var counts = Counts(1, 7, new Generator(4));
        var perm = tensor(new long[] { 4, 0, 6, 2, 5, 1, 3 });
        var out1 = encoder.forward(counts, AllReal(1, 7));
        var out2 = encoder.forward(counts.index_select(1, perm), AllReal(1, 7));
        AssertClose(out1.index_select(1, perm), out2, 1e-5);
        // Not vacuous: units get different embeddings, and the population context matters (a unit alone differs).
        Assert.True((out1[0, 0] - out1[0, 1]).abs().max().item<float>() > 1e-3);
        var alone = encoder.forward(counts.narrow(1, 0, 1), AllReal(1, 1));
        Assert.True((alone[0, 0] - out1[0, 0]).abs().max().item<float>() > 1e-3, "spatial attention had no effect");
    }

    [Fact]
    public void Padded_units_do_not_change_the_real_units()
    {
        UseOneThread();
        using var scope = NewDisposeScope();
        using var encoder = new NuclrEncoder(Tiny, new Generator(5));
        encoder.eval();
        using var noGrad = no_grad();
        var generator = new Generator(6);
        var a = Counts(1, 4, generator);
        var b = Counts(1, 6, generator);
        var alone = encoder.forward(a, AllReal(1, 4));

        // Recording a padded to 6 units with garbage (large counts and a NaN) in the padding, batched with b.
        var pad = full(new long[] { 1, 2, Tiny.PatchCount, Tiny.BinsPerPatch }, 1000f);
        pad[0, 1, 0, 0] = tensor(float.NaN);
        var batch = cat(new[] { cat(new[] { a, pad }, 1), b }, 0);
        var mask = tensor(new[] { true, true, true, true, false, false, true, true, true, true, true, true }).view(2, 6);
        var batched = encoder.forward(batch, mask);

        AssertClose(alone[0], batched[0].narrow(0, 0, 4), 1e-5);
        AssertClose(encoder.forward(b, AllReal(1, 6))[0], batched[1], 1e-5);
        Assert.Equal(0f, batched[0].narrow(0, 4, 2).abs().max().item<float>());
        // A recording with no real unit gives zeros, not NaN.
        var empty = encoder.forward(batch, zeros(new long[] { 2, 6 }, ScalarType.Bool));
        Assert.Equal(0f, empty.abs().max().item<float>());
    }

    [Fact]
    public void Gradient_reaches_every_parameter()
    {
        UseOneThread();
        using var scope = NewDisposeScope();
        using var encoder = new NuclrEncoder(Tiny, new Generator(7));
        encoder.train();
        var generator = new Generator(8);
        encoder.Dropout.Generator = generator;
        var counts = Counts(2, 5, generator);
        var mask = tensor(new[] { true, true, true, false, false, true, true, true, true, true }).view(2, 5);
        var output = encoder.forward(counts, mask);
        (output * randn(output.shape, generator: generator)).sum().backward();
        int checkedCount = 0;
        foreach (var (name, p) in encoder.named_parameters())
        {
            Assert.True(p.grad is not null, $"no gradient for {name}");
            Assert.True(p.grad!.abs().max().item<float>() > 0, $"zero gradient for {name}");
            Assert.True(p.grad.isfinite().all().item<bool>(), $"non-finite gradient for {name}");
            checkedCount++;
        }
        _log.WriteLine($"{checkedCount} parameter tensors, {encoder.parameters().Sum(p => p.numel())} weights");
        Assert.Contains(encoder.named_parameters(), p => p.name.StartsWith("spatial_blocks.0.attn.to_qkv"));
    }

    [Fact]
    public void Same_seed_gives_identical_initial_weights()
    {
        UseOneThread();
        using var a = new NuclrEncoder(Tiny, new Generator(9));
        using var b = new NuclrEncoder(Tiny, new Generator(9));
        using var c = new NuclrEncoder(Tiny, new Generator(10));
        AssertSameWeights(a, b);
        Assert.Throws<Xunit.Sdk.TrueException>(() => AssertSameWeights(a, c));
    }

    [Fact]
    public void Dropout_is_seeded_in_training_and_off_in_eval()
    {
        UseOneThread();
        using var scope = NewDisposeScope();
        using var encoder = new NuclrEncoder(Tiny, new Generator(21));
        var counts = Counts(1, 6, new Generator(22));
        using var noGrad = no_grad();
        encoder.train();
        // Training mode without a step's generator refuses rather than drawing from the global RNG.
        Assert.Throws<InvalidOperationException>(() => encoder.forward(counts, AllReal(1, 6)));
        encoder.Dropout.Generator = new Generator(5);
        var first = encoder.forward(counts, AllReal(1, 6));
        encoder.Dropout.Generator = new Generator(5);
        var again = encoder.forward(counts, AllReal(1, 6));
        encoder.Dropout.Generator = new Generator(6);
        var other = encoder.forward(counts, AllReal(1, 6));
        AssertClose(first, again, 0);
        Assert.True((first - other).abs().max().item<float>() > 1e-3, "another generator gave the same dropout masks");

        encoder.eval();
        encoder.Dropout.Generator = null;
        var evalA = encoder.forward(counts, AllReal(1, 6));
        var evalB = encoder.forward(counts, AllReal(1, 6));
        AssertClose(evalA, evalB, 0);
        Assert.True((evalA - first).abs().max().item<float>() > 1e-3, "dropout changed nothing in training mode");
        // No dropout at all gives the eval output: dropout is the only train/eval difference.
        using var plain = new NuclrEncoder(Tiny with { Dropout = 0 }, new Generator(21));
        plain.train();
        AssertClose(evalA, plain.forward(counts, AllReal(1, 6)), 1e-6);
    }

    [Fact]
    public void Legacy_blocks_keep_the_earlier_parameters_and_reference_blocks_differ_as_documented()
    {
        using var reference = new NuclrEncoder(Tiny, new Generator(1));
        using var legacy = new NuclrEncoder(Tiny.WithLegacyBlocks(), new Generator(1));
        var referenceNames = reference.named_parameters().Select(p => p.name).ToHashSet();
        var legacyNames = legacy.named_parameters().Select(p => p.name).ToHashSet();
        Assert.Contains("temporal_blocks.0.attn.to_qkv.bias", referenceNames);
        Assert.DoesNotContain("temporal_blocks.0.attn.to_qkv.bias", legacyNames);
        Assert.Contains("norm.weight", legacyNames);
        Assert.DoesNotContain("norm.weight", referenceNames);
        Assert.Equal((NuclrInput.Counts, 0.2, true, true, true, false),
            (Tiny.Input, Tiny.Dropout, Tiny.RotateHalf, Tiny.RotateValues, Tiny.QkvBias, Tiny.FinalNorm));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Onnx_export_matches_torch_through_onnx_runtime_and_mlnet(bool legacyBlocks)
    {
        UseOneThread();
        // Units per window and their groups: one population; two populations and silent units (-1); more of each.
        float[][] groupings =
        {
            new float[] { 0, 0, 0 },
            new float[] { 0, 0, 1, 1, -1, 0, 1 },
            new float[] { 2, -1, 0, 0, 1, 2, -1, 1, 0, 2, 2, -1 },
        };
        const double tolerance = 1e-4;
        var options = legacyBlocks ? Tiny.WithLegacyBlocks() : Tiny;
        using var encoder = new NuclrEncoder(options, new Generator(11));
        RandomiseNorms(encoder, new Generator(12));
        RandomiseBiases(encoder, new Generator(14));
        // Dropout must be absent from eval: a training-mode module (with a generator) is switched to eval before export.
        encoder.Dropout.Generator = new Generator(15);
        encoder.eval();
        var onnx = encoder.ExportOnnx();

        var generator = new Generator(13);
        var rows = new List<NuclrOnnxRow>();
        var expected = new List<float[]>();
        double ortMax = 0;
        foreach (var groups in groupings)
        {
            int u = groups.Length;
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var counts = Counts(1, u, generator);
            var flat = Values(counts.reshape(-1));
            var torchOut = ByGroup(encoder, counts, groups, options.Dim);
            var ortOut = OnnxScoring.RunOrt(onnx, new OnnxFeed("counts", flat, new long[] { 1, flat.Length }),
                new OnnxFeed(NuclrEncoder.GroupInputName, groups, new long[] { 1, u }));
            Assert.Equal(u * options.Dim, ortOut.Length);
            ortMax = Math.Max(ortMax, MaxAbsDiff(torchOut, ortOut));
            rows.Add(new NuclrOnnxRow { Counts = flat, UnitGroup = groups });
            expected.Add(torchOut);
        }
        _log.WriteLine($"ONNX Runtime max abs error {ortMax:E2} over U = {string.Join(", ", groupings.Select(g => g.Length))} ({onnx.Length} bytes, legacy blocks {legacyBlocks})");
        Assert.True(ortMax <= tolerance, $"ONNX Runtime differs from TorchSharp by {ortMax}");
        // Units left out (-1) come out as zeros.
        Assert.Equal(0f, expected[1].Skip(4 * options.Dim).Take(options.Dim).Select(Math.Abs).Max());

        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromEnumerable(rows);
        ITransformer model;
        using (var stream = new MemoryStream(onnx))
            model = ml.Transforms.ApplyOnnxModel(new[] { "embedding" }, new[] { "counts", NuclrEncoder.GroupInputName }, stream).Fit(data);
        var scored = model.Transform(data).GetColumn<float[]>("embedding").ToArray();
        double mlMax = 0;
        for (int i = 0; i < rows.Count; i++) mlMax = Math.Max(mlMax, MaxAbsDiff(expected[i], scored[i]));
        _log.WriteLine($"ML.NET ApplyOnnxModel max abs error {mlMax:E2}; output type {model.GetOutputSchema(data.Schema)["embedding"].Type}");
        Assert.True(mlMax <= tolerance, $"ML.NET differs from TorchSharp by {mlMax}");

        using var zip = new MemoryStream();
        ml.Model.Save(model, data.Schema, zip);
        zip.Position = 0;
        var fresh = new MLContext(seed: 1);
        var loaded = fresh.Model.Load(zip, out _);
        var reloaded = loaded.Transform(fresh.Data.LoadFromEnumerable(rows)).GetColumn<float[]>("embedding").ToArray();
        for (int i = 0; i < rows.Count; i++) Assert.Equal(scored[i], reloaded[i]);
        _log.WriteLine($"saved ML.NET model ({zip.Length} bytes) reloads with identical output");
    }

    /// <summary>The independent computation the graph's group mask must reproduce: each group through the encoder alone.</summary>
    private static float[] ByGroup(NuclrEncoder encoder, Tensor counts, float[] groups, int dim)
    {
        var result = new float[groups.Length * dim];
        foreach (var g in groups.Where(g => g >= 0).Distinct())
        {
            var members = Enumerable.Range(0, groups.Length).Where(u => groups[u] == g).ToArray();
            var subset = counts.index_select(1, tensor(members.Select(m => (long)m).ToArray()));
            var embedded = Values(encoder.forward(subset, AllReal(1, members.Length)).reshape(-1));
            for (int i = 0; i < members.Length; i++) Array.Copy(embedded, i * dim, result, members[i] * dim, dim);
        }
        return result;
    }

    // Linear biases start small and q/k/v ones may be new: random ones make a bias the export drops show up.
    private static void RandomiseBiases(nn.Module module, Generator generator)
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in module.named_parameters())
            if (name.EndsWith("bias") && !name.Contains("norm")) p.copy_(randn(p.shape, generator: generator) * 0.2);
    }

    // LayerNorm starts at ones/zeros; random affine parameters make a dropped or misplaced norm show up in parity.
    private static void RandomiseNorms(nn.Module module, Generator generator)
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in module.named_parameters())
        {
            if (!name.Contains("norm")) continue;
            var noise = randn(p.shape, generator: generator) * 0.2;
            if (name.EndsWith("weight")) p.copy_(noise + 1);
            else p.copy_(noise);
        }
    }

    private static double MaxAbsDiff(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double max = 0;
        for (int i = 0; i < expected.Length; i++) max = Math.Max(max, Math.Abs(expected[i] - actual[i]));
        return max;
    }
}

/// <summary>One recording for ML.NET: its [units, patches, bins] counts flattened; variable length (no VectorType).</summary>
public sealed class NuclrOnnxRow
{
    /// <summary>The flat counts, bound to the ONNX input of the same name.</summary>
    [ColumnName("counts")] public float[] Counts { get; set; } = Array.Empty<float>();

    /// <summary>Each unit's population (-1 = left out), bound to the graph's unit_group input.</summary>
    [ColumnName("unit_group")] public float[] UnitGroup { get; set; } = Array.Empty<float>();
}
