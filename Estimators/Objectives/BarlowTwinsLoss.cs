using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>Barlow Twins over unit embeddings of several views, with an off-diagonal (orthogonality) weight.</summary>
/// <remarks>
/// The real units of all samples are pooled (padding is dropped), giving per view X_v of shape [N, d]. Each view is
/// standardised per dimension over the N units as BatchNorm without affine does in the Barlow Twins reference
/// (biased variance, eps 1e-5 inside the square root). For a pair (v, w):
/// <code>
/// C = Zhat_v^T Zhat_w / N                                   (d x d cross-correlation)
/// pair(v,w) = sum_k (1 - C_kk)^2 + lambda * sum_{k != l} C_kl^2
/// </code>
/// and the loss is the mean of pair(v,w) over the K(K-1)/2 unordered view pairs. lambda comes from
/// <see cref="ObjectiveOptions.BarlowOffDiagonalWeightFor"/> (default 1/d). Needs at least 2 real units.
/// </remarks>
internal static class BarlowTwinsLoss
{
    /// <summary>The epsilon of the per-dimension standardisation (BatchNorm's default, as the reference uses).</summary>
    internal const double StandardiseEpsilon = 1e-5;

    /// <summary>The scalar Barlow Twins loss of <paramref name="embeddings"/> [batch, views, units, dim] under <paramref name="unitMask"/> [batch, units].</summary>
    public static Tensor Compute(Tensor embeddings, Tensor unitMask, ObjectiveOptions options)
    {
        ObjectiveInputs.Check(embeddings, unitMask);
        ArgumentNullException.ThrowIfNull(options);
        using var scope = NewDisposeScope();
        var x = ObjectiveInputs.RealUnits(embeddings, unitMask);   // [views, N, d]
        var views = x.shape[0];
        var n = x.shape[1];
        var d = x.shape[2];
        if (n < 2) throw new ArgumentException($"Barlow Twins needs at least 2 real units in the batch to standardise, got {n}.", nameof(unitMask));
        var lambda = options.BarlowOffDiagonalWeightFor(checked((int)d));

        var centred = x.sub(x.mean(new long[] { 1 }, keepdim: true));
        var biasedVariance = centred.pow(2).mean(new long[] { 1 }, keepdim: true);
        var standardised = centred.div(biasedVariance.add(StandardiseEpsilon).sqrt());
        var diagonal = eye(d, dtype: ScalarType.Bool, device: x.device);

        Tensor total = zeros(1, dtype: x.dtype, device: x.device).sum();
        var pairs = 0;
        foreach (var (v, w) in ObjectiveInputs.UnorderedPairs(views))
        {
            var c = standardised[v].transpose(0, 1).matmul(standardised[w]).div(n);
            var onDiagonal = c.diagonal().neg().add(1).pow(2).sum();
            var offDiagonal = c.pow(2).masked_fill(diagonal, 0).sum();
            total = total.add(onDiagonal.add(offDiagonal.mul(lambda)));
            pairs++;
        }
        return total.div(pairs).MoveToOuterDisposeScope();
    }
}
