using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>Selects and computes the pretraining objective named by <see cref="ObjectiveOptions.Kind"/>.</summary>
internal static class Objective
{
    /// <summary>
    /// The scalar loss of <paramref name="embeddings"/> [batch, views, units, dim] (projector outputs) under
    /// <paramref name="unitMask"/> [batch, units] (true = a real unit), for the objective <paramref name="options"/> names.
    /// </summary>
    public static Tensor Compute(Tensor embeddings, Tensor unitMask, ObjectiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options.Kind switch
        {
            ObjectiveKind.Dcl => DecoupledContrastiveLoss.Compute(embeddings, unitMask, options.Temperature),
            ObjectiveKind.Vicreg => VicregLoss.Compute(embeddings, unitMask, options),
            ObjectiveKind.Barlow => BarlowTwinsLoss.Compute(embeddings, unitMask, options),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "Unknown objective."),
        };
    }
}
