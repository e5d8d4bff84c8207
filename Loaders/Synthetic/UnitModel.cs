namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// The generative parameters of one unit: its labels, the log-rate model (offset, loadings on its region's latent
/// channels, behavioural tuning) and its spike-history model (dead time, recovery, adaptation, bursts). Plain fields:
/// the sampler reads them in its inner loop.
/// </summary>
internal sealed class UnitModel
{
    /// <summary>Index into <see cref="SyntheticOptions.Regions"/>.</summary>
    public int Region;

    /// <summary>Index into <see cref="CellTypeProfile.All"/>.</summary>
    public int CellType;

    /// <summary>One of the tuning labels of <see cref="SyntheticLabels"/>.</summary>
    public string Tuning = SyntheticLabels.NoTuning;

    /// <summary>Constant term of the log rate (log of the target rate minus the lognormal and tuning mean corrections).</summary>
    public double LogRateOffset;

    /// <summary>Loadings on the latent channels slow, oscillation cos, oscillation sin, fast, arousal (<see cref="SessionGrid"/> order).</summary>
    public readonly double[] Loadings = new double[SessionGrid.LatentChannels];

    /// <summary>Place field: centre (m), 1 / (2 sigma^2) (1/m^2) and log-rate gain at the centre.</summary>
    public double PlaceX, PlaceY, PlaceInvTwoSigmaSq, PlaceGain;

    /// <summary>Velocity tuning: log-rate change per m/s along x and y (gain times the preferred direction).</summary>
    public double VelocityX, VelocityY;

    /// <summary>Preferred direction in degrees (velocity-tuned units).</summary>
    public double PreferredDirectionDegrees;

    /// <summary>Target rate in Hz before refractoriness and adaptation (spikes per second, bursts included).</summary>
    public double ModelRateHz;

    /// <summary>Target rate of events (spikes, or bursts for bursting cells), Hz.</summary>
    public double EventRateHz;

    /// <summary>Absolute refractory period between any two spikes, seconds.</summary>
    public double RefractorySeconds;

    /// <summary>
    /// After a spike (after a burst's last spike, for bursting cells) no new spike or burst can start for this long;
    /// equal to <see cref="RefractorySeconds"/> except for bursting cells, whose pause is longer.
    /// </summary>
    public double DeadSeconds;

    /// <summary>Relative refractoriness after the dead time: hazard factor (1 - exp(-(s - dead) / RecoverySeconds))^RecoveryPower.</summary>
    public double RecoverySeconds;

    /// <summary>0 turns relative refractoriness off; higher powers make firing more regular.</summary>
    public int RecoveryPower;

    /// <summary>Spike-frequency adaptation: each spike adds this to A; the hazard is multiplied by exp(-A); A decays with <see cref="AdaptationSeconds"/>.</summary>
    public double AdaptationStep, AdaptationSeconds;

    /// <summary>Whether events are bursts (bursting cells).</summary>
    public bool Bursts;

    /// <summary>Bursts: largest number of spikes in a burst (sizes are uniform in 2..this), first intra-burst interval and its growth per spike, seconds.</summary>
    public int MaxBurstSpikes;

    /// <summary>Bursts: first intra-burst interval, seconds.</summary>
    public double BurstIsiSeconds;

    /// <summary>Bursts: growth of the intra-burst interval per later spike, seconds.</summary>
    public double BurstIsiGrowthSeconds;

    /// <summary>True when the unit has a place field.</summary>
    public bool HasPlaceField => Tuning == SyntheticLabels.PlaceTuning;

    /// <summary>True when the unit is velocity-tuned.</summary>
    public bool HasVelocityTuning => Tuning == SyntheticLabels.VelocityTuning;

    /// <summary>The tuning term of the log rate at one grid record.</summary>
    public double TuningTerm(double x, double y, double vx, double vy)
    {
        double term = 0;
        if (PlaceGain != 0)
        {
            double dx = x - PlaceX, dy = y - PlaceY;
            term += PlaceGain * Math.Exp(-(dx * dx + dy * dy) * PlaceInvTwoSigmaSq);
        }
        term += VelocityX * vx + VelocityY * vy;
        return term;
    }
}
