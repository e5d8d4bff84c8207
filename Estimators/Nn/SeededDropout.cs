using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// Inverted dropout whose mask comes from an explicit generator (<see cref="DropoutSource"/>): TorchSharp's
/// <c>nn.Dropout</c> draws from the process-wide RNG, which docs/design.md ('TorchSharp pitfalls') rules out. In eval
/// mode, or with probability 0, it is the identity, so exported graphs (written from eval-mode modules) contain nothing
/// for it.
/// </summary>
internal sealed class SeededDropout : nn.Module<Tensor, Tensor>
{
    private readonly double _probability;
    private readonly DropoutSource? _source;

    /// <param name="probability">Probability of zeroing an element, in [0, 1).</param>
    /// <param name="source">Where the training step's generator is found; may be null only when probability is 0.</param>
    public SeededDropout(double probability, DropoutSource? source) : base(nameof(SeededDropout))
    {
        if (!(probability >= 0 && probability < 1)) throw new ArgumentOutOfRangeException(nameof(probability), probability, "must lie in [0, 1)");
        if (probability > 0 && source is null) throw new ArgumentNullException(nameof(source), "dropout above 0 needs a generator source");
        _probability = probability;
        _source = source;
    }

    /// <summary>The drop probability.</summary>
    public double Probability => _probability;

    public override Tensor forward(Tensor x)
    {
        // The input itself, not a copy: the caller adds it to the residual stream and disposes nothing it did not make.
        if (!training || _probability == 0) return x;
        var generator = _source!.Generator
            ?? throw new InvalidOperationException("dropout is on in training mode but no generator was set for this step (DropoutSource.Generator)");
        using var scope = NewDisposeScope();
        // Keep with probability 1 - p and rescale, so the expected activation equals eval mode's.
        var keep = rand(x.shape, dtype: x.dtype, device: x.device, generator: generator).ge(_probability);
        return x.mul(keep).div(1 - _probability).MoveToOuterDisposeScope();
    }
}
