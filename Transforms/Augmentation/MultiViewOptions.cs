namespace MLNeuro.Transforms;

/// <summary>Options of <see cref="MultiViewSampler"/>; defaults follow NuCLR (two 10 s views within 30 s, unit dropout keeping 50-100%).</summary>
/// <example><code>
/// var options = new MultiViewOptions
/// {
///     ViewCount = 4,
///     Augmentations = [new UnitDropout(), new SpikeJitter(new SpikeJitterOptions { JitterSeconds = 0.002 })],
/// };
/// </code></example>
public sealed record MultiViewOptions
{
    /// <summary>Length of every view window in seconds; default 10.</summary>
    public double WindowSeconds { get; init; } = 10;

    /// <summary>Largest distance in seconds between the starts of any two views of a sample, >= 0; default 30.</summary>
    public double MaxOffsetSeconds { get; init; } = 30;

    /// <summary>Number of views per sample, at least 2; default 2.</summary>
    public int ViewCount { get; init; } = 2;

    /// <summary>Applied in order to each view after it is cut; default: one <see cref="UnitDropout"/> with its defaults.</summary>
    public IReadOnlyList<IViewAugmentation> Augmentations { get; init; } = [new UnitDropout()];

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad option.</summary>
    public void Validate()
    {
        if (!(WindowSeconds > 0) || !double.IsFinite(WindowSeconds))
            throw new ArgumentOutOfRangeException(nameof(WindowSeconds), WindowSeconds, "window must be a positive number of seconds");
        if (!(MaxOffsetSeconds >= 0) || !double.IsFinite(MaxOffsetSeconds))
            throw new ArgumentOutOfRangeException(nameof(MaxOffsetSeconds), MaxOffsetSeconds, "offset bound must be a finite, non-negative number of seconds");
        if (ViewCount < 2) throw new ArgumentOutOfRangeException(nameof(ViewCount), ViewCount, "a multi-view sample needs at least 2 views");
        if (Augmentations is null) throw new ArgumentOutOfRangeException(nameof(Augmentations), null, "use an empty list for no augmentation");
        for (int i = 0; i < Augmentations.Count; i++)
            if (Augmentations[i] is null) throw new ArgumentOutOfRangeException(nameof(Augmentations), null, $"augmentation {i} is null");
    }
}
