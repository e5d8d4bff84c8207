using MLNeuro.Loaders;

namespace MLNeuro.Estimators;

/// <summary>Recordings with their behaviour replaced (after cleaning or deriving velocity), everything else shared.</summary>
/// <example><code>
/// var cleaned = TrackingCleaning.CameraFrame(640, 480).Apply(recording.Behavior!).Behavior;
/// Recording ready = recording.WithBehavior(BehaviorVelocity.AddVelocity(cleaned, ["x_px", "y_px"]));
/// </code></example>
public static class RecordingBehaviorExtensions
{
    /// <summary>
    /// A recording with the same session, subject, units, spikes, domain, intervals and traces (shared, not copied) and
    /// <paramref name="behavior"/> as its behaviour (null removes it).
    /// </summary>
    /// <exception cref="ArgumentException">A behaviour sample lies outside the recording's domain (the message names the session).</exception>
    public static Recording WithBehavior(this Recording recording, BehaviorSeries? behavior)
    {
        ArgumentNullException.ThrowIfNull(recording);
        return new Recording(recording.SessionId, recording.SubjectId, recording.Units, recording.Spikes, recording.StartSeconds,
            recording.EndSeconds, behavior, recording.Intervals, recording.Traces);
    }
}
