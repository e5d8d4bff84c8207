namespace MLNeuro.Transforms;

/// <summary>Options of <see cref="SpikeJitter"/>.</summary>
/// <example><code>
/// var options = new SpikeJitterOptions { JitterSeconds = 0.005, Distribution = JitterDistribution.Uniform };
/// </code></example>
public sealed record SpikeJitterOptions
{
    /// <summary>Standard deviation of the offset in seconds, >= 0; default 0.001 (1 ms, our choice: below a 20 ms bin).</summary>
    public double JitterSeconds { get; init; } = 0.001;

    /// <summary>Offset distribution; default <see cref="JitterDistribution.Gaussian"/>.</summary>
    public JitterDistribution Distribution { get; init; } = JitterDistribution.Gaussian;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad option.</summary>
    public void Validate()
    {
        if (!(JitterSeconds >= 0) || !double.IsFinite(JitterSeconds))
            throw new ArgumentOutOfRangeException(nameof(JitterSeconds), JitterSeconds, "jitter SD must be a finite, non-negative number of seconds");
        if (!Enum.IsDefined(Distribution)) throw new ArgumentOutOfRangeException(nameof(Distribution), Distribution, "unknown distribution");
    }
}
