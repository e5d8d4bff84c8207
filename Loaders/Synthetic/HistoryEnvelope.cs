namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// Upper bounds of a unit's history factor h(s) exp(-A) after a spike (s the time since it), for thinning. Both factors only
/// grow with s (h recovers, A decays), so their values at the end of a step bound them over the step. The recovery h is
/// tabulated on a fine grid of s and read at the first tabulated point at or after the step's end: a table lookup per step
/// instead of a transcendental function. The sampler bounds exp(-A) chunk by chunk, from the decay per chunk given here.
/// Thinning stays exact for any envelope that bounds the intensity; these only make it tight.
/// </summary>
internal sealed class HistoryEnvelope
{
    /// <summary>Table points per recovery time constant.</summary>
    private const int PointsPerTau = 32;

    /// <summary>The table stops where h is within this much (in log) of 1; beyond, the bound is 1.</summary>
    private const double RecoveredLog = -0.01;

    private HistoryEnvelope(double[] recovery, double resolution, double chunkDecay)
    {
        Recovery = recovery;
        InvResolution = resolution > 0 ? 1 / resolution : 0;
        Span = recovery.Length * resolution;
        ChunkDecay = chunkDecay;
    }

    /// <summary>h(k * resolution) for k = 0, 1, ..., where the argument is the time since the dead time ended.</summary>
    public double[] Recovery { get; }

    /// <summary>1 / the table's resolution, seconds^-1.</summary>
    public double InvResolution { get; }

    /// <summary>Time after the dead time beyond which the recovery bound is 1 (0 without recovery).</summary>
    public double Span { get; }

    /// <summary>Factor by which A decays over one chunk of the grid (exp(-chunk / tau_a)).</summary>
    public double ChunkDecay { get; }

    /// <summary>The envelope of a unit's history factor.</summary>
    public static HistoryEnvelope For(UnitModel unit)
    {
        double chunkDecay = Math.Exp(-SessionGrid.ChunkSteps * SessionGrid.StepSeconds / unit.AdaptationSeconds);
        if (unit.RecoveryPower <= 0 || unit.RecoverySeconds <= 0) return new HistoryEnvelope([], 0, chunkDecay);
        double resolution = unit.RecoverySeconds / PointsPerTau;
        var values = new List<double>();
        for (int k = 0; ; k++)
        {
            double h = Recover(k * resolution / unit.RecoverySeconds, unit.RecoveryPower);
            // The entry for k bounds h up to k * resolution; the last entry is the one that reached the recovered level,
            // so that beyond the table (bound 1) nothing is lost that mattered.
            values.Add(h);
            if (Math.Log(h) > RecoveredLog) break;
        }
        return new HistoryEnvelope(values.ToArray(), resolution, chunkDecay);
    }

    /// <summary>The recovery factor (1 - exp(-x))^power, x the time since the dead time in recovery time constants.</summary>
    public static double Recover(double x, int power)
    {
        double g = 1 - Math.Exp(-x), h = g;
        for (int k = 1; k < power; k++) h *= g;
        return h;
    }
}
