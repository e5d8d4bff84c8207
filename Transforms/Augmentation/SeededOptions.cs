namespace MLNeuro.Transforms;

/// <summary>What an augmentation model persists: the augmentation's options and the user's seed.</summary>
internal sealed record SeededOptions<TOptions> where TOptions : class
{
    public TOptions Options { get; init; } = null!;

    public int Seed { get; init; }
}
