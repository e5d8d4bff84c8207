namespace MLNeuro.Estimators;

/// <summary>
/// How <see cref="BehaviorVelocity.AddVelocity"/> derives velocity from position: the derivative of each position
/// channel smoothed with a Gaussian kernel in time (see <see cref="BehaviorVelocity"/>, where the defaults live).
/// </summary>
/// <example><code>
/// var options = new VelocityOptions { SmoothingSeconds = 0.2, KeepOriginalChannels = false };
/// BehaviorSeries velocity = BehaviorVelocity.AddVelocity(behavior, ["x_px", "y_px"], options); // channels vx_px, vy_px
/// </code></example>
public sealed record VelocityOptions
{
    /// <summary>
    /// Standard deviation in seconds of the Gaussian kernel that smooths position before differencing. Default
    /// <see cref="BehaviorVelocity.DefaultSmoothingSeconds"/> (0.1 s); 0 differences the raw position. Finite and not negative.
    /// </summary>
    public double SmoothingSeconds { get; init; } = BehaviorVelocity.DefaultSmoothingSeconds;

    /// <summary>Prefix of a derived channel's name: "x" becomes "vx", "x_px" becomes "vx_px". Default "v"; not empty.</summary>
    public string Prefix { get; init; } = BehaviorVelocity.DefaultPrefix;

    /// <summary>Keep every channel of the input before the derived ones (default), or return the derived channels alone.</summary>
    public bool KeepOriginalChannels { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> or <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(double.IsFinite(SmoothingSeconds) && SmoothingSeconds >= 0))
            throw new ArgumentOutOfRangeException(nameof(SmoothingSeconds), SmoothingSeconds, "must be a finite number of seconds, 0 or more");
        if (string.IsNullOrWhiteSpace(Prefix)) throw new ArgumentException("the prefix of derived channel names is empty", nameof(Prefix));
    }
}
