using TorchSharp;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// Where a model's dropout masks come from: the generator the trainer hands over for the current step (the training
/// loop's own, so masks are a function of the run's seed and survive a resume). libtorch's dropout and SDPA's
/// dropout_p draw from the process-wide RNG instead, which no seed of ours controls (docs/design.md, 'TorchSharp
/// pitfalls'), so MLNeuro's blocks draw their masks here. One source is shared by all blocks of a model.
/// </summary>
internal sealed class DropoutSource
{
    /// <summary>The generator of the current training step; null outside training.</summary>
    public Generator? Generator { get; set; }

    /// <summary>
    /// Inverted dropout: zeroes each element with probability <paramref name="p"/> and scales the rest by 1/(1-p); the
    /// identity when <paramref name="training"/> is false or p is 0 (so eval, scoring and ONNX export never see it).
    /// </summary>
    public Tensor Apply(Tensor x, double p, bool training)
    {
        if (!training || p <= 0) return x;
        var generator = Generator ?? throw new InvalidOperationException(
            "dropout is on and the model is in training mode, but no generator was handed over: set the model's dropout generator for the step (or call eval())");
        // Explicit, disposed Scalars: an implicit one may be finalised while libtorch reads it (see LambOptimizer.Step).
        using var probability = p.ToScalar();
        using var scale = (1 / (1 - p)).ToScalar();
        var keep = rand(x.shape, dtype: x.dtype, generator: generator).ge_(probability);
        return x * keep.mul_(scale);
    }
}
