using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>VICReg (variance-invariance-covariance regularisation) over unit embeddings of several views.</summary>
/// <remarks>
/// The real units of all samples are pooled (padding is dropped), giving per view X_v of shape [N, d]. For a pair of
/// views (v, w) the loss is the VICReg paper's two-view loss:
/// <code>
/// invariance(v,w) = mean over N and d of (X_v - X_w)^2
/// variance(v)     = mean over d of relu(gamma - sqrt(Var(X_v[:, k]) + eps))        (unbiased variance)
/// covariance(v)   = sum over k != l of Cov(X_v)[k,l]^2 / d                            (Cov with 1/(N-1))
/// pair(v,w)       = lambda_inv * invariance(v,w) + lambda_var * (variance(v) + variance(w)) / 2
///                 + lambda_cov * (covariance(v) + covariance(w))
/// </code>
/// and the loss is the mean of pair(v,w) over the K(K-1)/2 unordered view pairs (K = 2 is the paper's loss; the
/// variance term then averages the views and the covariance term sums the two views of a pair, as the paper does).
/// Needs at least 2 real units in the batch for the variances.
/// </remarks>
internal static class VicregLoss
{
    /// <summary>The scalar VICReg loss of <paramref name="embeddings"/> [batch, views, units, dim] under <paramref name="unitMask"/> [batch, units].</summary>
    public static Tensor Compute(Tensor embeddings, Tensor unitMask, ObjectiveOptions options)
    {
        ObjectiveInputs.Check(embeddings, unitMask);
        ArgumentNullException.ThrowIfNull(options);
        using var scope = NewDisposeScope();
        var x = ObjectiveInputs.RealUnits(embeddings, unitMask);   // [views, N, d]
        var views = x.shape[0];
        var n = x.shape[1];
        var d = x.shape[2];
        if (n < 2) throw new ArgumentException($"VICReg needs at least 2 real units in the batch for a variance, got {n}.", nameof(unitMask));

        var centred = x.sub(x.mean(new long[] { 1 }, keepdim: true));
        var covariance = centred.transpose(1, 2).matmul(centred).div(n - 1);          // [views, d, d]
        var variance = covariance.diagonal(0, 1, 2);                                    // [views, d]
        var varianceTerm = nn.functional.relu(variance.add(options.VicregEpsilon).sqrt().neg().add(options.VicregGamma)).mean(new long[] { 1 });
        var offDiagonal = eye(d, dtype: ScalarType.Bool, device: x.device).logical_not();
        var covarianceTerm = covariance.pow(2).masked_fill(offDiagonal.logical_not(), 0).sum(new long[] { 1, 2 }).div(d); // [views]

        Tensor total = zeros(1, dtype: x.dtype, device: x.device).sum();
        var pairs = 0;
        foreach (var (v, w) in ObjectiveInputs.UnorderedPairs(views))
        {
            var invariance = x[v].sub(x[w]).pow(2).mean();
            var pair = invariance.mul(options.VicregInvarianceWeight)
                .add(varianceTerm[v].add(varianceTerm[w]).div(2).mul(options.VicregVarianceWeight))
                .add(covarianceTerm[v].add(covarianceTerm[w]).mul(options.VicregCovarianceWeight));
            total = total.add(pair);
            pairs++;
        }
        return total.div(pairs).MoveToOuterDisposeScope();
    }
}
