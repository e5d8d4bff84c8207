namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// What makes one subject differ from another: per cell type, a shift of the log-rate mean, a scale of the refractory
/// and recovery times and a shift of the burst interval; per region, a jitter of the latent frequencies and time
/// constants. A classifier trained on some subjects therefore meets slightly different statistics on a new one
/// (the zero-shot setting of NuCLR).
/// </summary>
internal sealed class SubjectProfile
{
    private SubjectProfile(double[] logRateShift, double[] refractoryScale, double[] recoveryScale, double burstIsiShiftMs,
        double[] regionFrequencyScale, double[] regionTimeScale)
    {
        LogRateShift = logRateShift;
        RefractoryScale = refractoryScale;
        RecoveryScale = recoveryScale;
        BurstIsiShiftMs = burstIsiShiftMs;
        RegionFrequencyScale = regionFrequencyScale;
        RegionTimeScale = regionTimeScale;
    }

    /// <summary>Added to each type's log median rate (sd 0.2).</summary>
    public double[] LogRateShift { get; }

    /// <summary>Multiplies each type's mean refractory period (log-sd 0.06; units are still clamped to the type's range).</summary>
    public double[] RefractoryScale { get; }

    /// <summary>Multiplies each type's recovery and adaptation time constants (log-sd 0.1).</summary>
    public double[] RecoveryScale { get; }

    /// <summary>Added to the first intra-burst interval of bursting cells (sd 0.3 ms).</summary>
    public double BurstIsiShiftMs { get; }

    /// <summary>Multiplies each region's oscillation frequency (log-sd 0.04).</summary>
    public double[] RegionFrequencyScale { get; }

    /// <summary>Multiplies each region's latent time constants (log-sd 0.1).</summary>
    public double[] RegionTimeScale { get; }

    /// <summary>The profile of one subject (0-based), from its own generator.</summary>
    public static SubjectProfile Draw(int seed, int subject, int regionCount)
    {
        var rng = SeedSequence.Generator(seed, SeedSequence.SubjectStream, subject);
        int types = CellTypeProfile.All.Count;
        var logRate = new double[types];
        var refractory = new double[types];
        var recovery = new double[types];
        for (int k = 0; k < types; k++)
        {
            logRate[k] = 0.2 * rng.NextGaussian();
            refractory[k] = Math.Exp(0.06 * rng.NextGaussian());
            recovery[k] = Math.Exp(0.1 * rng.NextGaussian());
        }
        double burstShift = 0.3 * rng.NextGaussian();
        var frequency = new double[regionCount];
        var time = new double[regionCount];
        for (int r = 0; r < regionCount; r++)
        {
            frequency[r] = Math.Exp(0.04 * rng.NextGaussian());
            time[r] = Math.Exp(0.1 * rng.NextGaussian());
        }
        return new SubjectProfile(logRate, refractory, recovery, burstShift, frequency, time);
    }
}
