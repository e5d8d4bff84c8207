namespace MLNeuro.Transforms;

/// <summary>
/// Skewness and excess kurtosis of one unit's binned spike counts: the features POYO-SSL uses to pick "predictable"
/// neurons (paper thresholds: skewness &lt;= 3.51, kurtosis &lt;= 22.62) and two entries of <see cref="NeuronFeatures"/>.
/// </summary>
/// <example><code>
/// var (skewness, kurtosis) = ActivityMoments.Compute(recording.Spikes.TimesOf(3), recording.StartSeconds, recording.EndSeconds, 0.02);
/// bool predictable = skewness &lt;= 3.51 &amp;&amp; kurtosis &lt;= 22.62;
/// </code></example>
public static class ActivityMoments
{
    /// <summary>
    /// Bins the spikes of [<paramref name="start"/>, <paramref name="end"/>) into whole bins of
    /// <paramref name="binSeconds"/> (a partial last bin is dropped; spikes outside are ignored) and returns the skewness
    /// m3/m2^1.5 and the excess kurtosis m4/m2² - 3 of the counts. Fill rule: when the counts do not vary (no spikes, an
    /// empty or sub-bin window, or the same count in every bin) both are 0. O(spikes), no allocation.
    /// </summary>
    /// <param name="spikeTimes">One unit's spike times in seconds, ascending.</param>
    /// <param name="start">Window start, seconds.</param>
    /// <param name="end">Window end (exclusive), seconds; not before <paramref name="start"/>.</param>
    /// <param name="binSeconds">Bin width, seconds (20 ms in POYO-SSL's use).</param>
    public static (double Skewness, double Kurtosis) Compute(ReadOnlySpan<double> spikeTimes, double start, double end, double binSeconds)
    {
        if (!double.IsFinite(start)) throw new ArgumentOutOfRangeException(nameof(start), start, "window start must be finite");
        if (!(end >= start) || !double.IsFinite(end)) throw new ArgumentOutOfRangeException(nameof(end), end, "window end must be finite and not before the start");
        if (!(binSeconds > 0) || !double.IsFinite(binSeconds)) throw new ArgumentOutOfRangeException(nameof(binSeconds), binSeconds, "bin width must be a positive number of seconds");
        NeuronFeatures.CheckSorted(spikeTimes, nameof(spikeTimes));
        var m = BinnedCountMoments.Compute(spikeTimes, start, binSeconds, BinnedCountMoments.WholeBins(start, end, binSeconds));
        return (m.Skewness, m.ExcessKurtosis);
    }
}
