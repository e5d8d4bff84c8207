using System.Buffers;
using MLNeuro.Loaders;

namespace MLNeuro.Transforms;

/// <summary>
/// Restricts a recording to some of its units, re-indexing the unit table, spikes and calcium traces together so that
/// new index i always names the i-th kept unit in the original order.
/// </summary>
public static class RecordingSubset
{
    /// <summary>A recording with only the units whose <paramref name="keep"/> flag is set (one flag per unit).</summary>
    public static Recording KeepUnits(Recording recording, ReadOnlySpan<bool> keep)
    {
        int unitCount = recording.Units.Count;
        if (keep.Length != unitCount)
            throw new ArgumentException($"{keep.Length} flags for {unitCount} units", nameof(keep));
        var newIndex = new int[unitCount];
        var kept = new List<UnitInfo>(unitCount);
        for (int u = 0; u < unitCount; u++)
        {
            newIndex[u] = keep[u] ? kept.Count : -1;
            if (keep[u]) kept.Add(recording.Units[u]);
        }
        var units = new UnitTable(kept);
        var spikes = FilterSpikes(recording.Spikes, newIndex, kept.Count);
        var traces = recording.Traces is null ? null : FilterTraces(recording.Traces, newIndex, kept.Count);
        return new Recording(recording.SessionId, recording.SubjectId, units, spikes, recording.StartSeconds, recording.EndSeconds,
            recording.Behavior, recording.Intervals, traces);
    }

    /// <summary>
    /// Spikes whose unit maps to a new index >= 0, carrying the new index. Works in pooled buffers; the only arrays
    /// allocated are the ones the returned train owns.
    /// </summary>
    public static SpikeTrain FilterSpikes(SpikeTrain spikes, ReadOnlySpan<int> newIndex, int newUnitCount)
    {
        var t = spikes.Timestamps;
        var u = spikes.UnitIndices;
        var times = ArrayPool<double>.Shared.Rent(t.Length);
        var units = ArrayPool<int>.Shared.Rent(t.Length);
        try
        {
            int n = 0;
            for (int i = 0; i < t.Length; i++)
            {
                int to = newIndex[u[i]];
                if (to < 0) continue;
                times[n] = t[i];
                units[n++] = to;
            }
            // Order is preserved; equal-time spikes stay in unit order because the mapping is monotonic.
            return SpikeTrain.FromSorted(times.AsSpan(0, n), units.AsSpan(0, n), newUnitCount);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(times);
            ArrayPool<int>.Shared.Return(units);
        }
    }

    private static CalciumTraces FilterTraces(CalciumTraces traces, ReadOnlySpan<int> newIndex, int newUnitCount)
    {
        int frames = traces.FrameCount;
        var values = new float[(long)newUnitCount * frames];
        for (int u = 0; u < newIndex.Length; u++)
            if (newIndex[u] >= 0) traces.Unit(u).CopyTo(values.AsSpan(newIndex[u] * frames, frames));
        return new CalciumTraces(traces.Timestamps, newUnitCount, values);
    }
}
