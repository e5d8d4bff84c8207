namespace MLNeuro.Transforms;

/// <summary>
/// One step of an augmentation chain. Implementations draw every random choice from the generator they are given, so a
/// chain run with a generator seeded the same way gives the same view.
/// </summary>
public interface IViewAugmentation
{
    /// <summary>Returns the augmented view; <paramref name="view"/> is not modified.</summary>
    AugmentedView Apply(AugmentedView view, Random random);
}
