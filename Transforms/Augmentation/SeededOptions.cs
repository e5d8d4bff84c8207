using System.ComponentModel;

namespace MLNeuro.Transforms;

/// <summary>
/// What an augmentation model persists: the augmentation's options and the user's seed. Public only because it is a
/// type argument of the public estimator base.
/// </summary>
/// <typeparam name="TOptions">The augmentation's options.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record SeededOptions<TOptions> where TOptions : class
{
    /// <summary>The augmentation's options.</summary>
    public TOptions Options { get; init; } = null!;

    /// <summary>The seed every row's generator is derived from.</summary>
    public int Seed { get; init; }
}
