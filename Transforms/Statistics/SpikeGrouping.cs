using MLNeuro.Loaders;

namespace MLNeuro.Transforms;

/// <summary>Regroups a recording's time-sorted spikes unit by unit in two passes (a counting sort), keeping each unit's times sorted.</summary>
internal static class SpikeGrouping
{
    /// <summary>Unit u's times are <c>times[offsets[u]..offsets[u + 1]]</c>.</summary>
    public static (double[] Times, int[] Offsets) ByUnit(SpikeTrain spikes)
    {
        var t = spikes.Timestamps;
        var u = spikes.UnitIndices;
        var offsets = new int[spikes.UnitCount + 1];
        foreach (int unit in u) offsets[unit + 1]++;
        for (int k = 0; k < spikes.UnitCount; k++) offsets[k + 1] += offsets[k];
        var cursor = offsets.AsSpan(0, spikes.UnitCount).ToArray();
        var times = new double[t.Length];
        for (int i = 0; i < t.Length; i++) times[cursor[u[i]]++] = t[i];
        return (times, offsets);
    }
}
