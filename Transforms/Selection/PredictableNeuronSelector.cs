using MLNeuro.Loaders;

namespace MLNeuro.Transforms;

/// <summary>
/// Measures the skewness and excess kurtosis of every unit's activity on the data it is fitted on (POYO-SSL chooses
/// "predictable" neurons on the pretraining split) and decides which units are predictable.
/// </summary>
/// <remarks>
/// Activity is either spike counts in consecutive bins of <see cref="PredictableNeuronOptions.BinSeconds"/> laid from
/// the start of each measured interval (a trailing partial bin is left out), or calcium dF/F frames. A unit's samples
/// from all intervals and all recordings of the same session are pooled before the moments are taken; see
/// <see cref="UnitPredictability"/> for the definitions. Units whose moments are undefined (fewer than two samples, or
/// constant activity such as a silent unit) or that have fewer than <see cref="PredictableNeuronOptions.MinSpikeCount"/>
/// spikes are not eligible and never predictable: too little activity says nothing about regularity, and POYO-SSL
/// pretrains only on units it is confident about.
/// </remarks>
/// <example><code>
/// var selector = new PredictableNeuronSelector(new PredictableNeuronOptions { IntervalKind = "train" });
/// PredictableNeuronSelection selection = selector.Fit(pretrainingRecordings);
/// Recording pretrain = selection.Apply(recording, SelectionAction.Keep);
/// </code></example>
public sealed class PredictableNeuronSelector
{
    // Upper bound on the reused units x bins buffer (floats), so thousands of units do not need gigabytes.
    private const int BufferFloats = 1 << 20;

    /// <summary>Creates a selector; throws <see cref="ArgumentOutOfRangeException"/> naming a bad option.</summary>
    public PredictableNeuronSelector(PredictableNeuronOptions? options = null)
    {
        Options = options ?? new PredictableNeuronOptions();
        Options.Validate();
    }

    /// <summary>The options in use.</summary>
    public PredictableNeuronOptions Options { get; }

    /// <summary>Measures every unit of <paramref name="recordings"/> and returns the selection.</summary>
    public PredictableNeuronSelection Fit(IEnumerable<Recording> recordings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        var index = new Dictionary<(string, string), int>();
        var keys = new List<(string Session, string Unit)>();
        var moments = new List<BinnedMoments>();
        var spikeCounts = new List<long>();
        var fromTraces = new List<bool>();
        float[] buffer = [];
        foreach (var recording in recordings)
        {
            ArgumentNullException.ThrowIfNull(recording, nameof(recordings));
            cancellationToken.ThrowIfCancellationRequested();
            bool useTraces = UseTraces(recording);
            int unitCount = recording.Units.Count;
            var local = new BinnedMoments[unitCount];
            var localSpikes = new long[unitCount];
            foreach (var (start, end) in MeasuredSpans(recording))
            {
                if (useTraces) MeasureTraces(recording.Traces!.Slice(start, end), local);
                else MeasureSpikes(recording.Spikes, start, end, local, localSpikes, ref buffer, cancellationToken);
            }
            for (int u = 0; u < unitCount; u++)
            {
                var key = (recording.SessionId, recording.Units[u].UnitId);
                if (!index.TryGetValue(key, out int k))
                {
                    index[key] = k = keys.Count;
                    keys.Add(key);
                    moments.Add(default);
                    spikeCounts.Add(0);
                    fromTraces.Add(useTraces);
                }
                var merged = moments[k];
                merged.Merge(local[u]);
                moments[k] = merged;
                spikeCounts[k] += localSpikes[u];
            }
        }

        var results = new UnitPredictability[keys.Count];
        for (int k = 0; k < keys.Count; k++)
        {
            var m = moments[k];
            double skew = m.Skewness, kurt = m.ExcessKurtosis;
            bool eligible = !double.IsNaN(skew) && !double.IsNaN(kurt) && (fromTraces[k] || spikeCounts[k] >= Options.MinSpikeCount);
            bool predictable = eligible && Options.Mode == PredictableNeuronMode.Thresholds
                && skew <= Options.MaxSkewness && kurt <= Options.MaxKurtosis;
            results[k] = new UnitPredictability(keys[k].Session, keys[k].Unit, skew, kurt, m.Count, spikeCounts[k], eligible, predictable);
        }
        if (Options.Mode == PredictableNeuronMode.Quantile) QuantileRule.Mark(results, Options.Quantile);
        return new PredictableNeuronSelection(Options, results);
    }

    private bool UseTraces(Recording recording) => Options.Source switch
    {
        ActivitySource.BinnedSpikes => false,
        ActivitySource.CalciumTraces => recording.Traces is not null
            ? true
            : throw new ArgumentException($"session '{recording.SessionId}' has no calcium traces but Source is CalciumTraces", "recordings"),
        _ => recording.Traces is not null,
    };

    /// <summary>The recording's domain, or its intervals of the chosen kind with overlaps merged so no time counts twice.</summary>
    private IEnumerable<(double Start, double End)> MeasuredSpans(Recording recording)
    {
        if (Options.IntervalKind is null)
        {
            yield return (recording.StartSeconds, recording.EndSeconds);
            yield break;
        }
        double curStart = double.NaN, curEnd = double.NaN;
        foreach (var it in recording.Intervals.OfKind(Options.IntervalKind)) // sorted by start
        {
            double s = Math.Max(it.Start, recording.StartSeconds), e = Math.Min(it.End, recording.EndSeconds);
            if (!(e > s)) continue;
            if (double.IsNaN(curStart) || s > curEnd)
            {
                if (!double.IsNaN(curStart)) yield return (curStart, curEnd);
                (curStart, curEnd) = (s, e);
            }
            else curEnd = Math.Max(curEnd, e);
        }
        if (!double.IsNaN(curStart)) yield return (curStart, curEnd);
    }

    private static void MeasureTraces(CalciumTraces traces, BinnedMoments[] moments)
    {
        for (int u = 0; u < moments.Length; u++) moments[u].Merge(BinnedMoments.Of(traces.Unit(u)));
    }

    private void MeasureSpikes(SpikeTrain spikes, double start, double end, BinnedMoments[] moments, long[] spikeCounts,
        ref float[] buffer, CancellationToken cancellationToken)
    {
        double bin = Options.BinSeconds;
        int unitCount = moments.Length;
        if (unitCount == 0) return;
        // The tolerance keeps a 1 s interval at 20 ms from losing its 50th bin to (1.0 / 0.02) = 49.999...
        long binCount = (long)Math.Floor((end - start) / bin + 1e-9);
        int chunkBins = (int)Math.Clamp(BufferFloats / unitCount, 1, 8192);
        if (buffer.Length < unitCount * chunkBins) buffer = new float[unitCount * chunkBins];
        for (long first = 0; first < binCount; first += chunkBins)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int bins = (int)Math.Min(chunkBins, binCount - first);
            double chunkStart = start + first * bin;
            var counts = buffer.AsSpan(0, unitCount * bins);
            counts.Clear();
            var window = spikes.Slice(chunkStart, start + (first + bins) * bin);
            SpikeBinning.CountSorted(window.Timestamps, window.UnitIndices, chunkStart, bin, bins, counts);
            for (int u = 0; u < unitCount; u++)
            {
                var row = counts.Slice(u * bins, bins);
                // Counted from the bins, not the slice, so a spike lost to rounding at a chunk edge is lost from both.
                double sum = 0;
                foreach (var c in row) sum += c;
                spikeCounts[u] += (long)sum;
                moments[u].Merge(BinnedMoments.Of(row));
            }
        }
    }
}
