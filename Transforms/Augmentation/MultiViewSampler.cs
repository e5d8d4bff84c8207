using MLNeuro.Loaders;

namespace MLNeuro.Transforms;

/// <summary>
/// Draws K views of the same region of a recording for contrastive / non-contrastive self-supervised learning
/// (NuCLR: two windows of the same recording within ±30 s, each with its own unit dropout).
/// </summary>
/// <remarks>
/// Placement: let D = min(<see cref="MultiViewOptions.MaxOffsetSeconds"/>, duration - window). A span
/// [c, c + D] is placed uniformly inside [start, end - window - D], then each view start is uniform in that span, so
/// every pair of views is at most MaxOffsetSeconds apart and every view lies inside the recording. Each view is then
/// cut (<see cref="Recording.Slice"/>, sharing storage) and passed through the augmentation chain. All draws come from
/// the one generator, in a fixed order (span, then view starts, then each view's chain), so a seed fixes the sample.
/// </remarks>
/// <example><code>
/// var sampler = new MultiViewSampler(new MultiViewOptions { ViewCount = 2 });
/// MultiViewSample pair = sampler.Sample(recording, seed: 42);
/// ReadOnlySpan&lt;int&gt; inFirst = pair.Views[0].KeptUnits;
/// </code></example>
public sealed class MultiViewSampler
{
    /// <summary>Creates a sampler; throws <see cref="ArgumentOutOfRangeException"/> naming a bad option.</summary>
    public MultiViewSampler(MultiViewOptions? options = null)
    {
        Options = options ?? new MultiViewOptions();
        Options.Validate();
    }

    /// <summary>The options in use.</summary>
    public MultiViewOptions Options { get; }

    /// <summary>Draws one sample with a generator seeded by <paramref name="seed"/>.</summary>
    public MultiViewSample Sample(Recording recording, int seed) => Sample(recording, new Random(seed));

    /// <summary>
    /// Draws one sample from <paramref name="random"/>; throws <see cref="ArgumentException"/> when the recording is
    /// shorter than <see cref="MultiViewOptions.WindowSeconds"/>.
    /// </summary>
    public MultiViewSample Sample(Recording recording, Random random)
    {
        ArgumentNullException.ThrowIfNull(recording);
        ArgumentNullException.ThrowIfNull(random);
        double window = Options.WindowSeconds;
        double room = recording.DurationSeconds - window;
        if (room < 0)
            throw new ArgumentException($"session '{recording.SessionId}' lasts {recording.DurationSeconds} s, shorter than WindowSeconds ({window} s)", nameof(recording));
        double span = Math.Min(Options.MaxOffsetSeconds, room);
        double spanStart = recording.StartSeconds + random.NextDouble() * (room - span);
        var starts = new double[Options.ViewCount];
        for (int k = 0; k < starts.Length; k++)
            starts[k] = Math.Min(spanStart + random.NextDouble() * span, recording.EndSeconds - window);

        var views = new AugmentedView[starts.Length];
        for (int k = 0; k < views.Length; k++)
        {
            var view = AugmentedView.Of(recording.Slice(starts[k], starts[k] + window));
            foreach (var augmentation in Options.Augmentations) view = augmentation.Apply(view, random);
            views[k] = view;
        }
        return new MultiViewSample(recording.SessionId, views);
    }
}
