namespace MLNeuro.Estimators;

/// <summary>
/// Which self-supervised objective to pretrain with, and its weights. Every default is documented on its property;
/// only the weights of the selected <see cref="Kind"/> are used.
/// </summary>
/// <example><code>
/// var dcl = new ObjectiveOptions();                                          // NuCLR: DCL, tau 0.2
/// var barlow = new ObjectiveOptions { Kind = ObjectiveKind.Barlow };         // lambda = 1 / projector dim
/// var vicreg = new ObjectiveOptions { Kind = ObjectiveKind.Vicreg, VicregCovarianceWeight = 4 };
/// </code></example>
public sealed record ObjectiveOptions
{
    /// <summary>The objective. Default <see cref="ObjectiveKind.Dcl"/> (NuCLR's decoupled contrastive loss).</summary>
    public ObjectiveKind Kind { get; init; } = ObjectiveKind.Dcl;

    /// <summary>DCL temperature tau dividing the cosine similarities. Default 0.2 (NuCLR).</summary>
    public double Temperature { get; init; } = 0.2;

    /// <summary>
    /// DCL: which units are anchors and negatives. Default <see cref="DclNegatives.Reference"/> (NuCLR's reference):
    /// anchors are the units present in both views, negatives every unit present in either view (each view has its own
    /// unit mask), cross-view similarities divided by <see cref="Temperature"/> and within-view ones not.
    /// <see cref="DclNegatives.SharedUnits"/> is MLNeuro's earlier loss: only units present in every view, both kinds
    /// of similarity divided by tau.
    /// </summary>
    public DclNegatives Negatives { get; init; } = DclNegatives.Reference;

    /// <summary>VICReg invariance (mean squared error between views) weight. Default 25 (VICReg paper).</summary>
    public double VicregInvarianceWeight { get; init; } = 25;

    /// <summary>VICReg variance (standard-deviation hinge) weight. Default 25 (VICReg paper).</summary>
    public double VicregVarianceWeight { get; init; } = 25;

    /// <summary>VICReg covariance (off-diagonal) weight. Default 1 (VICReg paper).</summary>
    public double VicregCovarianceWeight { get; init; } = 1;

    /// <summary>VICReg target standard deviation gamma of each embedding dimension. Default 1 (VICReg paper).</summary>
    public double VicregGamma { get; init; } = 1;

    /// <summary>VICReg epsilon added to the variance before the square root, for a finite gradient at zero. Default 1e-4 (VICReg paper).</summary>
    public double VicregEpsilon { get; init; } = 1e-4;

    /// <summary>
    /// Barlow Twins off-diagonal (orthogonality) weight lambda; null (the default) uses <c>1 / d</c> for a projector of
    /// output size d (see <see cref="BarlowOffDiagonalWeightFor"/>).
    /// </summary>
    public double? BarlowOffDiagonalWeight { get; init; }

    /// <summary>
    /// The Barlow Twins off-diagonal weight for a projector of output size <paramref name="dimension"/>: the override if
    /// set, else <c>1 / dimension</c>.
    /// </summary>
    /// <remarks>
    /// Why 1/d: the diagonal term sums d squared errors while the off-diagonal term sums d(d-1) squared correlations, so
    /// with a fixed lambda the orthogonality term's share grows with d. Scaling lambda by 1/d keeps both terms of order
    /// d, and gives small projectors a stronger orthogonality penalty (1/32 at d = 32, six times the Barlow Twins paper's
    /// 0.0051 at d = 8192), which is what docs/design.md, 'Non-contrastive objectives' asks for: a low-dimensional projector with a stronger
    /// off-diagonal weight that scales with projector size.
    /// </remarks>
    /// <param name="dimension">The projector output size d (at least 1).</param>
    public double BarlowOffDiagonalWeightFor(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        return BarlowOffDiagonalWeight ?? 1.0 / dimension;
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first weight that is out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind)) throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown objective.");
        Positive(Temperature, nameof(Temperature));
        if (!Enum.IsDefined(Negatives)) throw new ArgumentOutOfRangeException(nameof(Negatives), Negatives, "Unknown negative scheme.");
        NonNegative(VicregInvarianceWeight, nameof(VicregInvarianceWeight));
        NonNegative(VicregVarianceWeight, nameof(VicregVarianceWeight));
        NonNegative(VicregCovarianceWeight, nameof(VicregCovarianceWeight));
        Positive(VicregGamma, nameof(VicregGamma));
        Positive(VicregEpsilon, nameof(VicregEpsilon));
        if (BarlowOffDiagonalWeight is { } lambda) NonNegative(lambda, nameof(BarlowOffDiagonalWeight));
    }

    private static void Positive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(name, value, "Must be a positive finite number.");
    }

    private static void NonNegative(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(name, value, "Must be a non-negative finite number.");
    }
}
