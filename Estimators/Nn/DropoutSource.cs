using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// The generator every <see cref="SeededDropout"/> of one model draws its masks from. The training loop hands each step
/// its seeded generator; the model's owner puts it here before the forward pass, so dropout masks are a function of the
/// run's seed and step (and a resumed run draws the masks the uninterrupted run would have drawn: the loop checkpoints
/// that generator's state). Shared by reference between the layers of one model.
/// </summary>
internal sealed class DropoutSource
{
    /// <summary>The generator of the current training step; null outside training.</summary>
    public Generator? Generator { get; set; }
}
