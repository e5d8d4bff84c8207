using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>Selects and computes the pretraining objective named by <see cref="ObjectiveOptions.Kind"/>.</summary>
internal static class Objective
{
    /// <summary>
    /// The scalar loss of <paramref name="embeddings"/> [batch, views, units, dim] (projector outputs) under
    /// <paramref name="unitMask"/> (true = a real unit), for the objective <paramref name="options"/> names. The mask is
    /// either [batch, units] (the same units in every view) or [batch, views, units] (one mask per view: only DCL with
    /// <see cref="DclNegatives.Reference"/> uses the views' own masks; every other objective keeps the units present in
    /// every view).
    /// </summary>
    public static Tensor Compute(Tensor embeddings, Tensor unitMask, ObjectiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(unitMask);
        options.Validate();
        if (options.Kind == ObjectiveKind.Dcl && options.Negatives == DclNegatives.Reference)
        {
            using var scope = NewDisposeScope();
            var perView = unitMask.dim() == 2 && embeddings.dim() == 4
                ? unitMask.unsqueeze(1).expand(unitMask.shape[0], embeddings.shape[1], unitMask.shape[1])
                : unitMask;
            return ReferenceContrastiveLoss.Compute(embeddings, perView, options.Temperature).MoveToOuterDisposeScope();
        }
        if (unitMask.dim() == 3)
        {
            using var scope = NewDisposeScope();
            return Compute(embeddings, unitMask.all(1), options).MoveToOuterDisposeScope();
        }
        return options.Kind switch
        {
            ObjectiveKind.Dcl => DecoupledContrastiveLoss.Compute(embeddings, unitMask, options.Temperature),
            ObjectiveKind.Vicreg => VicregLoss.Compute(embeddings, unitMask, options),
            ObjectiveKind.Barlow => BarlowTwinsLoss.Compute(embeddings, unitMask, options),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "Unknown objective."),
        };
    }
}
