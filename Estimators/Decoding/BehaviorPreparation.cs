using MLNeuro.Loaders;

namespace MLNeuro.Estimators;

/// <summary>
/// How recordings are prepared before any decoder sees them (training, evaluation and adaptation must be given the same
/// preparation): cut to a time range, tracking dropouts marked missing, then velocity channels derived for the targets
/// that ask for them (a target "vx_px" is derived from "x_px").
/// </summary>
/// <example><code>
/// var prepared = BehaviorPreparation.Apply(recordings, ["x_px", "vx_px"], new BehaviorPreparationOptions
/// {
///     TimeRange = (4397, 5382), Cleaning = TrackingCleaning.CameraFrame(640, 480), DeriveVelocity = true,
/// });
/// </code></example>
public sealed record BehaviorPreparationOptions
{
    /// <summary>Keep only [Start, End) seconds of every session (clipped to the session); null keeps everything.</summary>
    public (double Start, double End)? TimeRange { get; init; }

    /// <summary>Tracking cleaning applied to the behaviour (e.g. <see cref="TrackingCleaning.CameraFrame"/>); null for none.</summary>
    public TrackingCleaning? Cleaning { get; init; }

    /// <summary>Derive "v" + name for every target that is missing and names a position channel.</summary>
    public bool DeriveVelocity { get; init; }

    /// <summary>How velocity is derived (smoothing, prefix).</summary>
    public VelocityOptions Velocity { get; init; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting that is invalid.</summary>
    public void Validate()
    {
        if (TimeRange is { } range && !(range.End > range.Start))
            throw new ArgumentException($"TimeRange: END must be greater than START (got {range.Start}:{range.End})", nameof(TimeRange));
        Cleaning?.Validate();
        Velocity.Validate();
    }
}

/// <summary>Applies <see cref="BehaviorPreparationOptions"/> to recordings.</summary>
public static class BehaviorPreparation
{
    /// <summary>
    /// The recordings cut to the time range, with their behaviour cleaned and the targets' velocity channels derived, as
    /// <paramref name="options"/> asks. Recordings are returned unchanged (shared) where nothing applies.
    /// </summary>
    /// <param name="recordings">Sessions to prepare.</param>
    /// <param name="targets">The behaviour channels the decoder reads out.</param>
    /// <param name="options">What to do.</param>
    public static Recording[] Apply(IReadOnlyList<Recording> recordings, IReadOnlyList<string> targets, BehaviorPreparationOptions options)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var prepared = recordings.ToArray();
        if (options.TimeRange is { } range) prepared = prepared.Select(r => Cut(r, range.Start, range.End)).ToArray();
        if (options.Cleaning is null && !options.DeriveVelocity) return prepared;
        var velocity = options.Velocity;
        return prepared.Select(r =>
        {
            var behavior = r.Behavior ?? throw new ArgumentException($"session '{r.SessionId}' has no behaviour", nameof(recordings));
            if (options.Cleaning is not null) behavior = options.Cleaning.Apply(behavior).Behavior;
            if (options.DeriveVelocity)
            {
                var positions = targets.Where(t => !behavior.ChannelNames.Contains(t) && t.StartsWith(velocity.Prefix, StringComparison.Ordinal))
                    .Select(t => t[velocity.Prefix.Length..]).ToArray();
                if (positions.Length > 0) behavior = BehaviorVelocity.AddVelocity(behavior, positions, velocity);
            }
            return r.WithBehavior(behavior);
        }).ToArray();
    }

    private static Recording Cut(Recording recording, double start, double end)
    {
        double from = Math.Max(start, recording.StartSeconds), to = Math.Min(end, recording.EndSeconds);
        if (!(to > from))
            throw new ArgumentException(
                $"time range {start}:{end} does not overlap session '{recording.SessionId}' [{recording.StartSeconds}, {recording.EndSeconds}) s");
        return recording.Slice(from, to);
    }
}
