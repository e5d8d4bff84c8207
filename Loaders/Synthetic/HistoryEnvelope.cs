namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// A piecewise-constant upper bound of a unit's recovery factor h(s) after a spike, for thinning. h only grows with the
/// time s since the spike, so its value at the end of a segment bounds it over the whole segment. Multiplying the rate
/// bound by this envelope makes candidates follow the recovery curve instead of the full rate: a fast-spiking cell, whose
/// slow recovery removes about half of its target rate, draws fewer candidates per spike. The statistical model is
/// unchanged: thinning stays exact for any envelope that bounds the intensity.
/// </summary>
/// <remarks>
/// Segments start at the dead time and double in length from half the recovery time constant, so the steep start of the
/// recovery gets short segments and the flat tail few. The last segment is unbounded with factor 1, which bounds h
/// everywhere. Adaptation is left out (bounded by 1): its slow decay would need many segments, each costing an exponential,
/// for fewer saved candidates than they cost.
/// </remarks>
internal sealed class HistoryEnvelope
{
    private const int MaxSegments = 12;

    private HistoryEnvelope(double[] ends, double[] logRecovery, double[] invRecovery, double[] logRecoveryAtStart)
    {
        Ends = ends;
        LogRecovery = logRecovery;
        InvRecovery = invRecovery;
        LogRecoveryAtStart = logRecoveryAtStart;
    }

    /// <summary>End of each segment, seconds after the spike; the last is +infinity.</summary>
    public double[] Ends { get; }

    /// <summary>log h at each segment's end (0 for the last segment).</summary>
    public double[] LogRecovery { get; }

    /// <summary>1 / h at each segment's end (1 for the last segment).</summary>
    public double[] InvRecovery { get; }

    /// <summary>log h at each segment's start, a lower bound over the segment (-infinity for the first).</summary>
    public double[] LogRecoveryAtStart { get; }

    /// <summary>The envelope of a unit's recovery; a single unbounded segment when the unit has none.</summary>
    public static HistoryEnvelope For(UnitModel unit)
    {
        var ends = new List<double>();
        var logs = new List<double>();
        if (unit.RecoveryPower > 0 && unit.RecoverySeconds > 0)
        {
            double length = unit.RecoverySeconds / 2, span = 0;
            while (ends.Count < MaxSegments - 1)
            {
                span += length;
                length *= 2;
                // Same formula as the sampler's acceptance test, so the bound and the tested factor round alike.
                double logH = unit.RecoveryPower * Math.Log(1 - Math.Exp(-span / unit.RecoverySeconds));
                ends.Add(unit.DeadSeconds + span);
                logs.Add(logH);
                if (logH > -0.05) break; // nearly recovered: the remaining slack costs less than more segments
            }
        }
        ends.Add(double.PositiveInfinity);
        logs.Add(0);
        var starts = new double[logs.Count];
        starts[0] = double.NegativeInfinity;
        for (int k = 1; k < starts.Length; k++) starts[k] = logs[k - 1];
        return new HistoryEnvelope(ends.ToArray(), logs.ToArray(), logs.Select(l => Math.Exp(-l)).ToArray(), starts);
    }
}
