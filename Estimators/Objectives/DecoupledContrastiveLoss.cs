using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// NuCLR's decoupled contrastive loss (DCL) over unit embeddings of several views of the same samples.
/// </summary>
/// <remarks>
/// For every sample b, ordered view pair (v, w) with v != w, and real unit i (the anchor z[b,v,i]):
/// <code>
/// loss(b,v,w,i) = -s(z[b,v,i], z[b,w,i]) / tau + logsumexp over n in N(b,v,w,i) of s(z[b,v,i], n) / tau
/// N(b,v,w,i)    = { z[b,w,j] : j != i, j real } united with { z[b,v,j] : j != i, j real }
/// </code>
/// s is the cosine similarity (the embeddings are L2-normalised here, a no-op after NuCLR's L2-normalising
/// projector). Negatives come from the same sample only, in both views, as in the NuCLR reference (a SimCLR-style
/// 2N similarity matrix per sample with the self and positive entries removed). "Decoupled": the positive is not in
/// the denominator. The loss is the mean over all real anchors of the batch (each anchor weighs the same), then
/// the mean over the K(K-1) ordered view pairs, which symmetrises it. A sample with a single real unit has no
/// negatives, so its anchors are left out; if no anchor has a negative the loss is 0 (still attached to the graph).
/// </remarks>
internal static class DecoupledContrastiveLoss
{
    /// <summary>
    /// A finite stand-in for minus infinity on excluded logits: logsumexp of a row that is all -inf has a NaN
    /// gradient, which would leak through the zero weight of an excluded anchor.
    /// </summary>
    private const double Excluded = -1e9;

    /// <summary>The scalar DCL loss of <paramref name="embeddings"/> [batch, views, units, dim] under <paramref name="unitMask"/> [batch, units].</summary>
    public static Tensor Compute(Tensor embeddings, Tensor unitMask, double temperature)
    {
        ObjectiveInputs.Check(embeddings, unitMask);
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "Must be positive.");
        using var scope = NewDisposeScope();
        var views = embeddings.shape[1];
        var units = embeddings.shape[2];
        // Padding is zeroed before anything touches it, so even NaN or infinite garbage cannot reach the sums.
        var real = unitMask.unsqueeze(1).unsqueeze(3);
        var z = nn.functional.normalize(embeddings.masked_fill(real.logical_not(), 0), p: 2, dim: -1);

        // negative[b, i, j]: unit j of sample b is a negative for anchor i (real and not the anchor itself).
        var notSelf = eye(units, dtype: ScalarType.Bool, device: embeddings.device).logical_not();
        var negative = unitMask.unsqueeze(1).logical_and(notSelf.unsqueeze(0));
        var negativeBothViews = cat(new[] { negative, negative }, 2);
        // An anchor counts when it is real and its sample has at least one other real unit.
        var anchor = unitMask.logical_and(unitMask.sum(1, keepdim: true, type: ScalarType.Int64).gt(1));
        var weight = anchor.to_type(z.dtype);
        var anchors = weight.sum();

        Tensor total = zeros(1, dtype: z.dtype, device: z.device).sum();
        for (int v = 0; v < views; v++)
        {
            var a = z.select(1, v);                        // [batch, units, dim]
            var self = a.matmul(a.transpose(1, 2)).div(temperature);
            for (int w = 0; w < views; w++)
            {
                if (w == v) continue;
                var cross = a.matmul(z.select(1, w).transpose(1, 2)).div(temperature);
                var positive = cross.diagonal(0, 1, 2);   // s(z[b,v,i], z[b,w,i]) / tau, [batch, units]
                var logits = cat(new[] { cross, self }, 2).masked_fill(negativeBothViews.logical_not(), Excluded);
                var perAnchor = logits.logsumexp(2).sub(positive);
                total = total.add(perAnchor.mul(weight).sum());
            }
        }

        var pairs = views * (views - 1);
        // clamp_min keeps 0/0 out when no anchor has a negative: the sum is then 0 and so is the loss.
        return total.div(anchors.clamp_min(1)).div(pairs).MoveToOuterDisposeScope();
    }
}
