using TorchSharp;
using static TorchSharp.torch;

namespace MLNeuro.Estimators.Tests;

public sealed class ObjectiveTests
{
    private const double Tolerance = 1e-5;

    // MLNeuro's earlier DCL, which ObjectiveReference.Dcl writes out; the reference variant is tested in ReferenceContrastiveLossTests.
    private static readonly ObjectiveOptions Dcl = new() { Negatives = DclNegatives.SharedUnits };
    private static readonly ObjectiveOptions Vicreg = new() { Kind = ObjectiveKind.Vicreg };
    private static readonly ObjectiveOptions Barlow = new() { Kind = ObjectiveKind.Barlow };

    public static TheoryData<ObjectiveKind> Kinds => new() { ObjectiveKind.Dcl, ObjectiveKind.Vicreg, ObjectiveKind.Barlow };

    public ObjectiveTests() => TorchRuntime.EnsureAvailable();

    [Fact]
    public void Dcl_matches_hand_computed_value_with_a_padded_unit()
    {
        var z = Random(seed: 1, batch: 2, views: 2, units: 3, dim: 3);
        bool[][] mask = { new[] { true, true, true }, new[] { true, true, false } };
        var expected = ObjectiveReference.Dcl(z, mask, 0.2);
        Assert.Equal(expected, Loss(z, mask, Dcl), Tolerance);
    }

    [Fact]
    public void Dcl_with_three_views_matches_hand_computed_value()
    {
        var z = Random(seed: 2, batch: 2, views: 3, units: 3, dim: 4);
        bool[][] mask = { new[] { true, true, true }, new[] { true, false, true } };
        var options = Dcl with { Temperature = 0.5 };
        Assert.Equal(ObjectiveReference.Dcl(z, mask, 0.5), Loss(z, mask, options), Tolerance);
    }

    [Fact]
    public void Dcl_is_symmetric_in_the_views()
    {
        var z = Random(seed: 3, batch: 2, views: 2, units: 3, dim: 4);
        var mask = AllReal(2, 3);
        var swapped = z.Select(sample => new[] { sample[1], sample[0] }).ToArray();
        Assert.Equal(Loss(z, mask, Dcl), Loss(swapped, mask, Dcl), Tolerance);
    }

    [Fact]
    public void Dcl_of_aligned_views_with_orthogonal_negatives_is_minus_inverse_tau_plus_log_of_the_negative_count()
    {
        // Unit i is the basis vector e_i in both views: s(positive) = 1, and each anchor has 4 negatives (2 other
        // units in each view) at s = 0, so loss = -1/tau + log(4 * exp(0)).
        var basis = Enumerable.Range(0, 3).Select(i => Enumerable.Range(0, 3).Select(k => k == i ? 2.0 : 0.0).ToArray()).ToArray();
        double[][][][] z = { new[] { basis, basis } };
        Assert.Equal(-1 / 0.2 + Math.Log(4), Loss(z, AllReal(1, 3), Dcl), Tolerance);
    }

    [Fact]
    public void Dcl_never_lets_samples_see_each_others_units()
    {
        // Changing sample 1 must not change sample 0's contribution: with equal anchor counts the loss is the mean of
        // the per-sample losses, so compare against each sample on its own.
        var z = Random(seed: 4, batch: 2, views: 2, units: 3, dim: 3);
        var both = Loss(z, AllReal(2, 3), Dcl);
        var first = Loss(new[] { z[0] }, AllReal(1, 3), Dcl);
        var second = Loss(new[] { z[1] }, AllReal(1, 3), Dcl);
        Assert.Equal((first + second) / 2, both, Tolerance);
    }

    [Fact]
    public void Vicreg_matches_hand_computed_value()
    {
        var z = Random(seed: 5, batch: 2, views: 2, units: 3, dim: 4);
        bool[][] mask = { new[] { true, true, false }, new[] { true, true, true } };
        var expected = ObjectiveReference.Vicreg(z, mask, 25, 25, 1, 1, 1e-4);
        Assert.Equal(expected, Loss(z, mask, Vicreg), Tolerance);
    }

    [Fact]
    public void Vicreg_with_three_views_and_other_weights_matches_hand_computed_value()
    {
        var z = Random(seed: 6, batch: 1, views: 3, units: 3, dim: 2, scale: 0.3);  // small spread: the variance hinge is active
        var options = Vicreg with { VicregInvarianceWeight = 2, VicregVarianceWeight = 3, VicregCovarianceWeight = 5, VicregGamma = 1.5 };
        var expected = ObjectiveReference.Vicreg(z, AllReal(1, 3), 2, 3, 5, 1.5, 1e-4);
        Assert.Equal(expected, Loss(z, AllReal(1, 3), options), Tolerance);
    }

    [Fact]
    public void Barlow_matches_hand_computed_value_with_the_default_lambda()
    {
        var z = Random(seed: 7, batch: 2, views: 2, units: 3, dim: 4);
        bool[][] mask = { new[] { true, true, true }, new[] { false, true, true } };
        Assert.Equal(ObjectiveReference.Barlow(z, mask, 1.0 / 4), Loss(z, mask, Barlow), Tolerance);
    }

    [Fact]
    public void Barlow_with_three_views_and_a_lambda_override_matches_hand_computed_value()
    {
        var z = Random(seed: 8, batch: 1, views: 3, units: 3, dim: 2);
        var options = Barlow with { BarlowOffDiagonalWeight = 0.7 };
        Assert.Equal(ObjectiveReference.Barlow(z, AllReal(1, 3), 0.7), Loss(z, AllReal(1, 3), options), Tolerance);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Padded_units_with_garbage_do_not_change_the_loss(ObjectiveKind kind)
    {
        var options = new ObjectiveOptions { Kind = kind };
        var z = Random(seed: 9, batch: 2, views: 3, units: 3, dim: 3);
        var padded = z.Select(sample => sample.Select(view =>
            view.Concat(new[] { new[] { 1e6, -3e5, 7.0 }, new[] { double.NaN, double.PositiveInfinity, 1.0 } }).ToArray()).ToArray()).ToArray();
        bool[][] paddedMask = { new[] { true, true, true, false, false }, new[] { true, true, true, false, false } };
        Assert.Equal(Loss(z, AllReal(2, 3), options), Loss(padded, paddedMask, options), Tolerance);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Three_views_give_the_average_over_view_pairs(ObjectiveKind kind)
    {
        var options = new ObjectiveOptions { Kind = kind };
        var z = Random(seed: 10, batch: 2, views: 3, units: 3, dim: 3);
        bool[][] mask = { new[] { true, true, true }, new[] { true, true, false } };
        (int, int)[] pairs = { (0, 1), (0, 2), (1, 2) };
        var average = pairs.Average(p => Loss(z.Select(s => new[] { s[p.Item1], s[p.Item2] }).ToArray(), mask, options));
        Assert.Equal(average, Loss(z, mask, options), Tolerance);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Gradients_flow_to_the_embeddings_and_stay_out_of_the_padding(ObjectiveKind kind)
    {
        using var scope = NewDisposeScope();
        var data = Random(seed: 11, batch: 2, views: 2, units: 4, dim: 3);
        var z = ToTensor(data, ScalarType.Float32).requires_grad_(true);
        var mask = MaskTensor(new[] { new[] { true, true, true, false }, new[] { true, true, true, true } });
        var loss = Objective.Compute(z, mask, new ObjectiveOptions { Kind = kind });
        loss.backward();
        Assert.NotNull(z.grad);
        var grad = z.grad!.to_type(ScalarType.Float64).data<double>().ToArray();
        Assert.All(grad, g => Assert.True(double.IsFinite(g)));
        Assert.Contains(grad, g => Math.Abs(g) > 1e-6);
        var padding = z.grad![0, TensorIndex.Colon, 3].abs().sum().item<float>();
        Assert.Equal(0f, padding);
    }

    [Fact]
    public void Float32_agrees_with_float64()
    {
        var z = Random(seed: 12, batch: 2, views: 2, units: 3, dim: 4);
        var mask = AllReal(2, 3);
        foreach (var options in new[] { Dcl, Vicreg, Barlow })
        {
            using var scope = NewDisposeScope();
            var single = Objective.Compute(ToTensor(z, ScalarType.Float32), MaskTensor(mask), options).item<float>();
            Assert.Equal(Loss(z, mask, options), single, 1e-4);
        }
    }

    [Fact]
    public void A_sample_with_one_real_unit_adds_no_dcl_anchor()
    {
        var z = Random(seed: 13, batch: 2, views: 2, units: 3, dim: 3);
        bool[][] mask = { new[] { true, true, true }, new[] { false, true, false } };
        var alone = Loss(new[] { z[0] }, AllReal(1, 3), Dcl);
        Assert.Equal(alone, Loss(z, mask, Dcl), Tolerance);
    }

    [Fact]
    public void Options_document_their_defaults_and_the_lambda_rule()
    {
        var options = new ObjectiveOptions();
        Assert.Equal(ObjectiveKind.Dcl, options.Kind);
        Assert.Equal(0.2, options.Temperature);
        Assert.Equal((25.0, 25.0, 1.0, 1.0, 1e-4),
            (options.VicregInvarianceWeight, options.VicregVarianceWeight, options.VicregCovarianceWeight, options.VicregGamma, options.VicregEpsilon));
        Assert.Null(options.BarlowOffDiagonalWeight);
        Assert.Equal(1.0 / 32, options.BarlowOffDiagonalWeightFor(32));
        Assert.Equal(0.005, (options with { BarlowOffDiagonalWeight = 0.005 }).BarlowOffDiagonalWeightFor(32));
        Assert.Throws<ArgumentOutOfRangeException>(() => (options with { Temperature = 0 }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => (options with { BarlowOffDiagonalWeight = -1 }).Validate());
    }

    [Fact]
    public void Wrong_shapes_are_rejected_naming_the_argument()
    {
        using var scope = NewDisposeScope();
        var oneView = zeros(new long[] { 1, 1, 3, 2 });
        var e = Assert.Throws<ArgumentException>(() => Objective.Compute(oneView, ones(new long[] { 1, 3 }, dtype: ScalarType.Bool), Dcl));
        Assert.Equal("embeddings", e.ParamName);
        var z = zeros(new long[] { 1, 2, 3, 2 });
        e = Assert.Throws<ArgumentException>(() => Objective.Compute(z, ones(new long[] { 1, 4 }, dtype: ScalarType.Bool), Dcl));
        Assert.Equal("unitMask", e.ParamName);
    }

    private static double Loss(double[][][][] z, bool[][] mask, ObjectiveOptions options)
    {
        using var scope = NewDisposeScope();
        return Objective.Compute(ToTensor(z, ScalarType.Float64), MaskTensor(mask), options).item<double>();
    }

    private static Tensor ToTensor(double[][][][] z, ScalarType dtype)
    {
        var flat = z.SelectMany(s => s.SelectMany(v => v.SelectMany(u => u))).ToArray();
        long[] shape = { z.Length, z[0].Length, z[0][0].Length, z[0][0][0].Length };
        return torch.tensor(flat, shape, dtype: ScalarType.Float64).to_type(dtype);
    }

    private static Tensor MaskTensor(bool[][] mask) =>
        torch.tensor(mask.SelectMany(m => m).ToArray(), new long[] { mask.Length, mask[0].Length });

    private static bool[][] AllReal(int batch, int units) =>
        Enumerable.Range(0, batch).Select(_ => Enumerable.Repeat(true, units).ToArray()).ToArray();

    /// <summary>Deterministic test data from System.Random (no torch RNG): z[b][v][i][k] around a shared per-unit value.</summary>
    private static double[][][][] Random(int seed, int batch, int views, int units, int dim, double scale = 1)
    {
        var random = new Random(seed);
        double Next() => (random.NextDouble() * 2 - 1) * scale;
        return Enumerable.Range(0, batch).Select(_ =>
        {
            // Views of a unit share a component, as views of the same neuron would, so positives are meaningful.
            var shared = Enumerable.Range(0, units).Select(_ => Enumerable.Range(0, dim).Select(_ => Next()).ToArray()).ToArray();
            return Enumerable.Range(0, views).Select(_ =>
                shared.Select(u => u.Select(x => x + 0.5 * Next()).ToArray()).ToArray()).ToArray();
        }).ToArray();
    }
}
