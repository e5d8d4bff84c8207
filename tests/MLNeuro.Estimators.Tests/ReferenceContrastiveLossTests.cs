using TorchSharp;
using static TorchSharp.torch;

namespace MLNeuro.Estimators.Tests;

/// <summary>
/// NuCLR's reference DCL (the default objective): per-view masks, against a double-loop implementation, a closed form,
/// and the property that units absent from a view (dropped or silent) are neither anchors nor negatives there.
/// </summary>
public sealed class ReferenceContrastiveLossTests
{
    private const double Tolerance = 1e-6;
    private static readonly ObjectiveOptions Reference = new();

    public ReferenceContrastiveLossTests() => TorchRuntime.EnsureAvailable();

    [Fact]
    public void Default_dcl_is_the_reference_variant()
    {
        Assert.Equal(DclNegatives.Reference, Reference.Negatives);
        Assert.Equal(0.2, Reference.Temperature);
    }

    [Fact]
    public void Matches_a_double_loop_implementation_with_per_view_masks()
    {
        var z = Random(seed: 7, batch: 2, views: 3, units: 5, dim: 4);
        // Sample 0: unit 1 silent in view 0, unit 4 silent in views 1 and 2; sample 1: unit 0 only in view 2, unit 3 padding.
        bool[][][] mask =
        {
            new[] { new[] { true, false, true, true, true }, new[] { true, true, true, true, false }, new[] { true, true, true, true, false } },
            new[] { new[] { false, true, true, false, true }, new[] { false, true, true, false, true }, new[] { true, true, true, false, true } },
        };
        Assert.Equal(ObjectiveReference.ReferenceDcl(z, mask, 0.2), Loss(z, mask), Tolerance);
    }

    [Fact]
    public void Aligned_orthogonal_units_give_log_of_negatives_over_present_units()
    {
        // e_i in both views: the positive cancels 1/tau; 4 negatives at cos 0 (2 cross-view / tau, 2 within-view) give
        // log 4; 6 units are present in the two views: loss = log 4 - log 6.
        var basis = Enumerable.Range(0, 3).Select(i => Enumerable.Range(0, 3).Select(k => k == i ? 2.0 : 0.0).ToArray()).ToArray();
        double[][][][] z = { new[] { basis, basis } };
        bool[][][] mask = { new[] { new[] { true, true, true }, new[] { true, true, true } } };
        Assert.Equal(Math.Log(4) - Math.Log(6), Loss(z, mask), Tolerance);
    }

    [Fact]
    public void A_unit_absent_from_a_view_is_not_an_anchor_or_negative_there()
    {
        var z = Random(seed: 8, batch: 1, views: 2, units: 4, dim: 3);
        bool[][][] mask = { new[] { new[] { true, true, true, true }, new[] { true, true, false, true } } };
        double before = Loss(z, mask);
        // Unit 2's row in view 1 is garbage (it is silent there): nothing may change, even with NaN.
        z[0][1][2] = new[] { double.NaN, 1e9, -3 };
        Assert.Equal(before, Loss(z, mask), Tolerance);
        // In view 0 it is present: it is a negative there, so moving it changes the loss, though it is no anchor.
        z[0][0][2] = z[0][0][2].Select(x => -x).ToArray();
        Assert.NotEqual(before, Loss(z, mask), 6);
        // With it absent from both views it drops out entirely: the loss equals the loss of the other three units.
        bool[][][] without = { new[] { new[] { true, true, false, true }, new[] { true, true, false, true } } };
        var three = new[] { new[] { z[0][0][0], z[0][0][1], z[0][0][3] }, new[] { z[0][1][0], z[0][1][1], z[0][1][3] } };
        bool[][][] threeMask = { new[] { new[] { true, true, true }, new[] { true, true, true } } };
        Assert.Equal(Loss(new[] { three }, threeMask), Loss(z, without), Tolerance);
    }

    private static double Loss(double[][][][] z, bool[][][] mask)
    {
        using var scope = NewDisposeScope();
        var flat = z.SelectMany(s => s.SelectMany(v => v.SelectMany(u => u))).ToArray();
        var embeddings = torch.tensor(flat, new long[] { z.Length, z[0].Length, z[0][0].Length, z[0][0][0].Length }, dtype: ScalarType.Float64);
        var masks = torch.tensor(mask.SelectMany(s => s.SelectMany(v => v)).ToArray(), new long[] { mask.Length, mask[0].Length, mask[0][0].Length });
        return Objective.Compute(embeddings, masks, Reference).item<double>();
    }

    private static double[][][][] Random(int seed, int batch, int views, int units, int dim)
    {
        var random = new Random(seed);
        double Next() => random.NextDouble() * 2 - 1;
        return Enumerable.Range(0, batch).Select(_ =>
        {
            var shared = Enumerable.Range(0, units).Select(_ => Enumerable.Range(0, dim).Select(_ => Next()).ToArray()).ToArray();
            return Enumerable.Range(0, views).Select(_ => shared.Select(u => u.Select(x => x + 0.5 * Next()).ToArray()).ToArray()).ToArray();
        }).ToArray();
    }
}
