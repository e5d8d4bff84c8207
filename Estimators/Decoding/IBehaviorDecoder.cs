using MLNeuro.Loaders;

namespace MLNeuro.Estimators;

/// <summary>
/// A trained behaviour decoder (POYO, Wiener filter, MLP): predicts behaviour channels of a recording at given sample
/// times from the spikes around them. <see cref="DecodingEvaluator"/> scores every decoder the same way, so their R²
/// figures are comparable.
/// </summary>
public interface IBehaviorDecoder
{
    /// <summary>The decoded channels, in output order.</summary>
    IReadOnlyList<string> Channels { get; }

    /// <summary>
    /// Predicts the channels at <paramref name="times"/> (ascending, all inside <paramref name="interval"/>), writing
    /// row-major [time, channel] values in the channels' original units into <paramref name="destination"/>. The decoder
    /// may read spikes of the recording outside the interval only as far as its own context reaches (e.g. a Wiener
    /// filter's lags); it never reads behaviour.
    /// </summary>
    void Predict(Recording recording, Interval interval, ReadOnlySpan<double> times, Span<float> destination);
}
