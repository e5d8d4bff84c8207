using MLNeuro.Loaders;

namespace MLNeuro.Transforms;

/// <summary>
/// Cuts a random sub-window of fixed length out of a view (or a recording): the start is uniform over every position
/// where the sub-window fits.
/// </summary>
/// <example><code>
/// Recording crop = WindowCrop.Crop(recording, lengthSeconds: 1.0, new Random(3));
/// AugmentedView shorter = new WindowCrop(0.5).Apply(view, new Random(4));
/// </code></example>
public sealed class WindowCrop : IViewAugmentation
{
    /// <summary>Creates a crop of <paramref name="lengthSeconds"/>; throws <see cref="ArgumentOutOfRangeException"/> if it is not positive.</summary>
    public WindowCrop(double lengthSeconds)
    {
        CheckLength(lengthSeconds);
        LengthSeconds = lengthSeconds;
    }

    /// <summary>Length of the crop in seconds.</summary>
    public double LengthSeconds { get; }

    /// <inheritdoc />
    public AugmentedView Apply(AugmentedView view, Random random)
    {
        ArgumentNullException.ThrowIfNull(view);
        return view.WithRecording(Crop(view.Recording, LengthSeconds, random));
    }

    /// <summary>
    /// A slice of <paramref name="recording"/> of exactly <paramref name="lengthSeconds"/> lying inside its domain;
    /// throws <see cref="ArgumentOutOfRangeException"/> when the recording is shorter.
    /// </summary>
    public static Recording Crop(Recording recording, double lengthSeconds, Random random)
    {
        ArgumentNullException.ThrowIfNull(recording);
        double start = SampleStart(recording.StartSeconds, recording.EndSeconds, lengthSeconds, random);
        return recording.Slice(start, start + lengthSeconds);
    }

    /// <summary>Uniform start in [domainStart, domainEnd - lengthSeconds].</summary>
    public static double SampleStart(double domainStart, double domainEnd, double lengthSeconds, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckLength(lengthSeconds);
        double room = domainEnd - domainStart - lengthSeconds;
        if (room < 0)
            throw new ArgumentOutOfRangeException(nameof(lengthSeconds), lengthSeconds,
                $"a {lengthSeconds} s window does not fit in [{domainStart}, {domainEnd}) s");
        // Clamp so rounding never places the end past the domain.
        return Math.Min(domainStart + random.NextDouble() * room, domainEnd - lengthSeconds);
    }

    private static void CheckLength(double lengthSeconds)
    {
        if (!(lengthSeconds > 0) || !double.IsFinite(lengthSeconds))
            throw new ArgumentOutOfRangeException(nameof(lengthSeconds), lengthSeconds, "crop length must be a positive number of seconds");
    }
}
