namespace MLNeuro.Estimators;

/// <summary>The self-supervised objective a neuron encoder is pretrained with.</summary>
/// <example><code>
/// var options = new ObjectiveOptions { Kind = ObjectiveKind.Barlow };
/// </code></example>
public enum ObjectiveKind
{
    /// <summary>
    /// Decoupled contrastive loss (NuCLR's objective): the same unit in two views is the positive, the other units of
    /// the same sample are the negatives, and the positive is left out of the denominator.
    /// </summary>
    Dcl,

    /// <summary>VICReg: invariance between views, a variance hinge per dimension and a covariance (decorrelation) penalty.</summary>
    Vicreg,

    /// <summary>Barlow Twins: the cross-correlation of two views is pushed to the identity (with an orthogonality weight).</summary>
    Barlow,
}
