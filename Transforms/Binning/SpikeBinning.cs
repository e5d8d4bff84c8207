using MLNeuro.Loaders;

namespace MLNeuro.Transforms;

/// <summary>
/// Spike counts per unit and time bin: the dense units x bins layout that binned models (NuCLR, MtM, Wiener filters)
/// consume. Bin k of a window starting at <c>start</c> covers [start + k·w, start + (k+1)·w); a spike goes to bin
/// floor((t - start) / w), spikes outside the window are ignored.
/// </summary>
/// <example><code>
/// var counts = new float[recording.Units.Count * 500];
/// SpikeBinning.CountInto(recording.Spikes, windowStart, binSeconds: 0.02, binCount: 500, counts); // 10 s at 20 ms
/// </code></example>
public static class SpikeBinning
{
    /// <summary>
    /// Adds the spikes of <paramref name="spikes"/> inside the window to <paramref name="unitsByBins"/> (row-major:
    /// unit u, bin k at u * binCount + k). The target is not cleared, so windows can be accumulated; clear it yourself
    /// (<c>Array.Clear</c>) to reuse one buffer across windows. Cost: two binary searches plus one pass over the
    /// window's spikes.
    /// </summary>
    /// <returns>The number of spikes counted.</returns>
    public static int CountInto(SpikeTrain spikes, double start, double binSeconds, int binCount, Span<float> unitsByBins)
    {
        ArgumentNullException.ThrowIfNull(spikes);
        if (!double.IsFinite(start)) throw new ArgumentOutOfRangeException(nameof(start), start, "window start must be finite");
        if (!(binSeconds > 0) || !double.IsFinite(binSeconds)) throw new ArgumentOutOfRangeException(nameof(binSeconds), binSeconds, "bin width must be a positive number of seconds");
        ArgumentOutOfRangeException.ThrowIfNegative(binCount);
        if (unitsByBins.Length < (long)spikes.UnitCount * binCount)
            throw new ArgumentException($"target holds {unitsByBins.Length} values but {spikes.UnitCount} units x {binCount} bins are needed", nameof(unitsByBins));
        var window = spikes.Slice(start, start + binSeconds * binCount);
        return CountSorted(window.Timestamps, window.UnitIndices, start, binSeconds, binCount, unitsByBins);
    }

    /// <summary>The hot loop, on raw spans (unit indices already validated by <see cref="SpikeTrain"/>).</summary>
    internal static int CountSorted(ReadOnlySpan<double> times, ReadOnlySpan<int> units, double start, double binSeconds, int binCount, Span<float> target)
    {
        int counted = 0;
        ref float origin = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(target);
        for (int i = 0; i < times.Length; i++)
        {
            // Division, not multiplication by 1/w: a spike exactly on a bin edge must land in the later bin.
            int bin = (int)((times[i] - start) / binSeconds);
            if ((uint)bin >= (uint)binCount) continue;
            System.Runtime.CompilerServices.Unsafe.Add(ref origin, units[i] * binCount + bin) += 1f;
            counted++;
        }
        return counted;
    }
}
