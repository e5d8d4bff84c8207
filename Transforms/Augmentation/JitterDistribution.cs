namespace MLNeuro.Transforms;

/// <summary>Shape of the per-spike time offsets of <see cref="SpikeJitter"/>.</summary>
public enum JitterDistribution
{
    /// <summary>Normal with mean 0 and standard deviation <see cref="SpikeJitterOptions.JitterSeconds"/>.</summary>
    Gaussian,

    /// <summary>Uniform on [-√3·sd, √3·sd], which has standard deviation <see cref="SpikeJitterOptions.JitterSeconds"/>.</summary>
    Uniform,
}
