namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// Spike statistics of one cell type: population means that each subject shifts a little (<see cref="SubjectProfile"/>)
/// and each unit draws around. The table is the one docs/synthetic-data.md documents; change both together.
/// </summary>
internal sealed record CellTypeProfile(
    string Name,
    double Share,
    double RateMedianHz,
    double RateLogSigma,
    double RefractoryMs,
    double RefractoryJitterMs,
    double RefractoryMinMs,
    double RefractoryMaxMs,
    double RecoveryMs,
    int RecoveryPower,
    double AdaptationStep,
    double AdaptationMs,
    bool Bursts)
{
    /// <summary>Bursting cells: intra-burst intervals lie in [BurstIsiMinMs, BurstIsiMaxMs].</summary>
    public const double BurstIsiMinMs = 3, BurstIsiMaxMs = 8;

    /// <summary>Bursting cells: first intra-burst interval (population mean, ms) and its growth per later spike (ms).</summary>
    public const double BurstIsiBaseMs = 4.0, BurstIsiGrowthMs = 0.7;

    /// <summary>Bursting cells: share of events that are a single spike rather than a burst.</summary>
    public const double SingleSpikeShare = 0.15;

    /// <summary>Bursting cells: silent period after a burst's last spike (population mean, ms) and recovery time constant after it.</summary>
    public const double BurstPauseMs = 40, BurstRecoveryMs = 80;

    /// <summary>
    /// The four types. Rates are the modulation-free target rates (for bursting cells: burst events per second);
    /// refractoriness and adaptation lower the realised rate, docs/synthetic-data.md lists measured values.
    /// </summary>
    public static IReadOnlyList<CellTypeProfile> All { get; } = new CellTypeProfile[]
    {
        new(SyntheticLabels.RegularSpiking, Share: 0.40, RateMedianHz: 6, RateLogSigma: 0.5,
            RefractoryMs: 2.5, RefractoryJitterMs: 0.3, RefractoryMinMs: 2.0, RefractoryMaxMs: 3.0,
            RecoveryMs: 6, RecoveryPower: 1, AdaptationStep: 0.35, AdaptationMs: 250, Bursts: false),
        new(SyntheticLabels.FastSpiking, Share: 0.20, RateMedianHz: 40, RateLogSigma: 0.4,
            RefractoryMs: 1.0, RefractoryJitterMs: 0.15, RefractoryMinMs: 0.8, RefractoryMaxMs: 1.3,
            RecoveryMs: 14, RecoveryPower: 3, AdaptationStep: 0, AdaptationMs: 1, Bursts: false),
        new(SyntheticLabels.Bursting, Share: 0.15, RateMedianHz: 0.9, RateLogSigma: 0.5,
            RefractoryMs: 2.0, RefractoryJitterMs: 0.3, RefractoryMinMs: 1.5, RefractoryMaxMs: 2.5,
            RecoveryMs: BurstRecoveryMs, RecoveryPower: 1, AdaptationStep: 0, AdaptationMs: 1, Bursts: true),
        new(SyntheticLabels.LowRateIrregular, Share: 0.25, RateMedianHz: 0.8, RateLogSigma: 0.6,
            RefractoryMs: 2.0, RefractoryJitterMs: 0.3, RefractoryMinMs: 1.5, RefractoryMaxMs: 2.5,
            RecoveryMs: 0, RecoveryPower: 0, AdaptationStep: 0, AdaptationMs: 1, Bursts: false),
    };
}
