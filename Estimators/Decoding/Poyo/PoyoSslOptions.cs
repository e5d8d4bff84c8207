using MLNeuro.Transforms;

namespace MLNeuro.Estimators;

/// <summary>What POYO-SSL's masked branch is trained to match (<see cref="PoyoSslOptions.Target"/>).</summary>
public enum PoyoSslTarget
{
    /// <summary>
    /// MLNeuro's choice: the layer-normalised output latents of the un-masked pass with gradients stopped, L1 at the
    /// masked positions.
    /// </summary>
    StopGradient,

    /// <summary>
    /// The reference's (POYO-CAP, perceiver_rotary.py): mean squared error between the masked branch's output latents
    /// and the un-masked branch's, over every latent token, with gradients through both branches; the supervised term
    /// decodes the un-masked branch.
    /// </summary>
    UnmaskedBranch,
}

/// <summary>What replaces a masked latent (<see cref="PoyoSslOptions.Mask"/>).</summary>
public enum PoyoSslMask
{
    /// <summary>A learned mask embedding (MLNeuro's choice).</summary>
    Learned,

    /// <summary>
    /// Zeros, as the reference. (Its configured option zeroes one feature column of every latent, which looks like a
    /// bug; this zeroes the whole masked latent, what its other options do.)
    /// </summary>
    Zero,
}

/// <summary>
/// POYO-SSL pretraining (docs/design.md, 'POYO-SSL'): which neurons it sees and the masked-latent objective. See
/// <see cref="PoyoSslPretrainer"/> for the objective and the choice of target.
/// </summary>
/// <example><code>
/// var ssl = new PoyoSslOptions { MaskRatio = 0.5, PredictableOnly = true };
/// </code></example>
public sealed record PoyoSslOptions
{
    /// <summary>Share of latent tokens masked per window. Default 0.5.</summary>
    public double MaskRatio { get; init; } = 0.5;

    /// <summary>
    /// Weight of the supervised behaviour term (MSE on normalised behaviour through the decoder, session embedding and
    /// readout), so they train during pretraining too; 0 = purely self-supervised. Default 0.01, the reference's lambda.
    /// </summary>
    public double SupervisedWeight { get; init; } = 0.01;

    /// <summary>What the masked branch matches. Default <see cref="PoyoSslTarget.StopGradient"/> (MLNeuro's).</summary>
    public PoyoSslTarget Target { get; init; } = PoyoSslTarget.StopGradient;

    /// <summary>What replaces a masked latent. Default <see cref="PoyoSslMask.Learned"/> (MLNeuro's).</summary>
    public PoyoSslMask Mask { get; init; } = PoyoSslMask.Learned;

    /// <summary>
    /// The reference's objective (audit S1): zeroed masks, MSE to the un-detached un-masked branch, supervised weight
    /// 0.01, no variance term.
    /// </summary>
    public static PoyoSslOptions Reference { get; } = new()
    {
        Target = PoyoSslTarget.UnmaskedBranch, Mask = PoyoSslMask.Zero, SupervisedWeight = 0.01, VarianceWeight = 0,
    };

    /// <summary>
    /// Weight of the anti-collapse term: mean over latent dimensions of max(0, 1 - sd across the batch's latent tokens)
    /// of the student's normalised latents (VICReg's variance term). Without it the objective collapsed in our runs
    /// (loss 0.39 to 0.03 in 400 steps with every latent alike). Default 1.
    /// </summary>
    public double VarianceWeight { get; init; } = 1.0;

    /// <summary>Pretrain on the predictable neurons only (the paper's recipe); false pretrains on every neuron. Default true.</summary>
    public bool PredictableOnly { get; init; } = true;

    /// <summary>How predictable neurons are chosen (skewness and kurtosis thresholds of the paper by default).</summary>
    public PredictableNeuronOptions Selection { get; init; } = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(MaskRatio > 0 && MaskRatio < 1)) throw new ArgumentOutOfRangeException(nameof(MaskRatio), MaskRatio, "must be in (0, 1)");
        if (!(VarianceWeight >= 0)) throw new ArgumentOutOfRangeException(nameof(VarianceWeight), VarianceWeight, "must be non-negative");
        if (!Enum.IsDefined(Target)) throw new ArgumentOutOfRangeException(nameof(Target), Target, "unknown target");
        if (!Enum.IsDefined(Mask)) throw new ArgumentOutOfRangeException(nameof(Mask), Mask, "unknown mask");
        if (!(SupervisedWeight >= 0)) throw new ArgumentOutOfRangeException(nameof(SupervisedWeight), SupervisedWeight, "must be non-negative");
        Selection.Validate();
    }
}
