namespace MLNeuro.Transforms;

/// <summary>The ML.NET multiclass trainer a probe fits (both are multinomial logistic regression).</summary>
public enum ProbeTrainer
{
    /// <summary><c>LbfgsMaximumEntropy</c>: full-batch L-BFGS, deterministic; the default.</summary>
    LbfgsMaximumEntropy,

    /// <summary><c>SdcaMaximumEntropy</c>: stochastic dual coordinate ascent (single-threaded here, so seeded runs repeat).</summary>
    SdcaMaximumEntropy,
}
