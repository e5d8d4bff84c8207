using TorchSharp;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// softmax(q kᵀ / sqrt(d)) v over [batch, heads, n, d] tensors, with an optional "may attend" mask [batch, 1, 1, nk]
/// and dropout on the attention weights. Without dropout it is libtorch's fused scaled_dot_product_attention (faster
/// here, docs/design.md 'Performance'); with dropout it is written out, because SDPA's dropout_p draws its mask from the
/// process-wide RNG and ours must come from the step's generator (<see cref="DropoutSource"/>).
/// </summary>
internal static class AttentionKernel
{
    public static Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor? attendMask, double dropout, DropoutSource? source, bool training)
    {
        if (!training || dropout <= 0 || source is null)
            return nn.functional.scaled_dot_product_attention(q, k, v, attendMask, 0.0, false);
        using var scale = (1.0 / Math.Sqrt(q.shape[^1])).ToScalar(); // explicit Scalars: see LambOptimizer.Step
        using var minusInfinity = double.NegativeInfinity.ToScalar();
        var scores = q.matmul(k.transpose(-2, -1)).mul_(scale);
        if (attendMask is not null) scores = scores.masked_fill(attendMask.logical_not(), minusInfinity);
        return source.Apply(scores.softmax(-1), dropout, training: true).matmul(v);
    }
}
