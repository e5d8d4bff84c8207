namespace MLNeuro.Transforms;

/// <summary>
/// The per-thread counters one unit's features are accumulated in, sized once from the layout and cleared per unit,
/// so the batch path allocates nothing per unit or per spike.
/// </summary>
internal sealed class FeatureScratch
{
    public FeatureScratch(NeuronFeatureLayout layout)
    {
        Narrow = new long[layout.NarrowBins];
        Wide = new long[layout.WideBins];
        LogAcg = new long[layout.Options.LogAcgBins];
        Refractory = new long[layout.RefractoryBins];
        IsiHistogram = new long[layout.Options.IsiHistogramBins];
    }

    public long[] Narrow { get; }
    public long[] Wide { get; }
    public long[] LogAcg { get; }
    public long[] Refractory { get; }
    public long[] IsiHistogram { get; }

    /// <summary>Pairs with lag below the burst ISI, and inside the burst reference range.</summary>
    public long BurstNear, BurstReference;

    /// <summary>Pairs inside the refractory reference range.</summary>
    public long RefractoryReference;

    /// <summary>Spike index range of each interval of the current unit: interval k holds spikes [2k] to [2k + 1] (exclusive).</summary>
    public int[] IntervalSpikes { get; private set; } = Array.Empty<int>();

    /// <summary><see cref="IntervalSpikes"/> with room for <paramref name="intervals"/> intervals (grown, never shrunk).</summary>
    public int[] IntervalSpikesFor(int intervals)
    {
        if (IntervalSpikes.Length < 2 * intervals) IntervalSpikes = new int[2 * intervals];
        return IntervalSpikes;
    }

    public void Clear()
    {
        Array.Clear(Narrow);
        Array.Clear(Wide);
        Array.Clear(LogAcg);
        Array.Clear(Refractory);
        Array.Clear(IsiHistogram);
        BurstNear = BurstReference = RefractoryReference = 0;
    }
}
