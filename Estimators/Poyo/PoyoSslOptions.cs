using MLNeuro.Transforms;

namespace MLNeuro.Estimators;

/// <summary>
/// POYO-SSL pretraining (DESIGN.md section 3): which neurons it sees and the masked-latent objective. See
/// <see cref="PoyoSslPretrainer"/> for the objective and the choice of target.
/// </summary>
/// <example><code>
/// var ssl = new PoyoSslOptions { MaskRatio = 0.5, PredictableOnly = true };
/// </code></example>
public sealed record PoyoSslOptions
{
    /// <summary>Share of latent tokens masked per window. Default 0.5.</summary>
    public double MaskRatio { get; init; } = 0.5;

    /// <summary>Weight of the optional supervised behaviour term (MSE on normalised behaviour); 0 = purely self-supervised. Default 0.</summary>
    public double SupervisedWeight { get; init; }

    /// <summary>Pretrain on the predictable neurons only (the paper's recipe); false pretrains on every neuron. Default true.</summary>
    public bool PredictableOnly { get; init; } = true;

    /// <summary>How predictable neurons are chosen (skewness and kurtosis thresholds of the paper by default).</summary>
    public PredictableNeuronOptions Selection { get; init; } = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(MaskRatio > 0 && MaskRatio < 1)) throw new ArgumentOutOfRangeException(nameof(MaskRatio), MaskRatio, "must be in (0, 1)");
        if (!(SupervisedWeight >= 0)) throw new ArgumentOutOfRangeException(nameof(SupervisedWeight), SupervisedWeight, "must be non-negative");
        Selection.Validate();
    }
}
