using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// NuCLR's reference decoupled contrastive loss (nerdslab/nuclr, losses/sw_contrastive.py with <c>dcl</c> and
/// <c>full_denom</c>, as configs/loss/sw_dcl.yaml sets them), over unit embeddings of several views with one unit mask
/// per view: a unit dropped or silent in a view is not in it.
/// </summary>
/// <remarks>
/// For every sample b, ordered view pair (v, w), v != w, and anchor i present in both views:
/// <code>
/// loss(b,v,w,i) = 1/tau - c(i,i) + logsumexp( { c(i,j) : j != i in w } u { s(i,j) : j != i in v } ) - log(n_w + n_v)
/// c(i,j) = cos(z[b,v,i], z[b,w,j]) / tau      s(i,j) = cos(z[b,v,i], z[b,v,j])   (within-view: not divided by tau)
/// </code>
/// n_v, n_w are the units present in each view. The constants 1/tau and -log(n_w + n_v) do not change the gradient;
/// they make the value the reference's. The loss is the mean over the anchors of each ordered pair (the reference
/// weighs each sample by its share of the batch's matched units, which is the same), averaged over the K(K-1) ordered
/// pairs. Anchors without any negative are left out; with no anchor left the loss is 0, still attached to the graph.
/// </remarks>
internal static class ReferenceContrastiveLoss
{
    /// <summary>A finite stand-in for minus infinity (see <see cref="DecoupledContrastiveLoss"/>).</summary>
    private const double Excluded = -1e9;

    /// <summary>The scalar loss of <paramref name="embeddings"/> [batch, views, units, dim] under per-view masks <paramref name="viewMask"/> [batch, views, units].</summary>
    public static Tensor Compute(Tensor embeddings, Tensor viewMask, double temperature)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(viewMask);
        if (embeddings.dim() != 4 || embeddings.shape[1] < 2)
            throw new ArgumentException($"Expected embeddings shaped [batch, views >= 2, units, dim], got [{string.Join(", ", embeddings.shape)}].", nameof(embeddings));
        if (viewMask.dtype != ScalarType.Bool || viewMask.dim() != 3 || viewMask.shape[0] != embeddings.shape[0]
            || viewMask.shape[1] != embeddings.shape[1] || viewMask.shape[2] != embeddings.shape[2])
            throw new ArgumentException(
                $"Expected a boolean view mask shaped [batch, views, units] = [{embeddings.shape[0]}, {embeddings.shape[1]}, {embeddings.shape[2]}], got {viewMask.dtype} [{string.Join(", ", viewMask.shape)}].",
                nameof(viewMask));
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "Must be positive.");
        using var scope = NewDisposeScope();
        long views = embeddings.shape[1], units = embeddings.shape[2];
        // Absent units are zeroed before anything touches them, so garbage in them cannot reach the sums.
        var z = nn.functional.normalize(embeddings.masked_fill(viewMask.logical_not().unsqueeze(-1), 0), p: 2, dim: -1);
        var notSelf = eye(units, dtype: ScalarType.Bool, device: embeddings.device).logical_not().unsqueeze(0);
        var present = viewMask.to_type(z.dtype).sum(2);                                   // [batch, views]

        Tensor total = zeros(1, dtype: z.dtype, device: z.device).sum();
        for (int v = 0; v < views; v++)
        {
            var a = z.select(1, v);                                                        // [batch, units, dim]
            var inV = viewMask.select(1, v);                                               // [batch, units]
            var within = a.matmul(a.transpose(1, 2));                                     // not divided by tau, as the reference
            for (int w = 0; w < views; w++)
            {
                if (w == v) continue;
                var inW = viewMask.select(1, w);
                var cross = a.matmul(z.select(1, w).transpose(1, 2)).div(temperature);
                var positive = cross.diagonal(0, 1, 2);                                    // [batch, units]
                var negatives = cat(new[] { inW.unsqueeze(1).logical_and(notSelf), inV.unsqueeze(1).logical_and(notSelf) }, 2);
                var logits = cat(new[] { cross, within }, 2).masked_fill(negatives.logical_not(), Excluded);
                var anchor = inV.logical_and(inW).logical_and(negatives.any(2));
                var weight = anchor.to_type(z.dtype);
                var logN = (present.select(1, v) + present.select(1, w)).clamp_min(1).log().unsqueeze(1);
                var perAnchor = logits.logsumexp(2).sub(logN).sub(positive).add(1 / temperature);
                total = total.add(perAnchor.mul(weight).sum().div(weight.sum().clamp_min(1)));
            }
        }
        return total.div(views * (views - 1)).MoveToOuterDisposeScope();
    }
}
