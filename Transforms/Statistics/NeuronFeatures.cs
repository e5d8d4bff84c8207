using MLNeuro.Loaders;

namespace MLNeuro.Transforms;

/// <summary>
/// CellExplorer-style identity features of single units: the hand-made baseline that learned neuron encoders must beat
/// at guessing cell type or region. One fixed-length float vector per unit; <see cref="Names"/> gives the names.
/// </summary>
/// <remarks>
/// <para>Features, in order (lengths for the default options; 153 in total):</para>
/// <list type="bullet">
/// <item><c>rate_hz</c> (spikes / observation time) and <c>log10_rate_hz</c> (log10 of max(rate, <see cref="NeuronFeatureOptions.RateFloorHz"/>)):
/// rates are log-normal across units, so linear probes should prefer the log; both are given.</item>
/// <item><c>few_spikes</c>: 1 when the unit has fewer than <see cref="NeuronFeatureOptions.FewSpikesThreshold"/> spikes, else 0.</item>
/// <item><c>isi_cv</c> (std / mean of ISIs), <c>isi_cv2</c> (mean of 2|I(i+1) - I(i)| / (I(i+1) + I(i))), <c>lv</c>
/// (3 / (n-1) Σ ((I(i) - I(i+1)) / (I(i) + I(i+1)))²): 0 for a clock, about 1 for Poisson; CV2 and LV are insensitive to slow rate changes.</item>
/// <item><c>burst_index</c>: fraction of ISIs shorter than <see cref="NeuronFeatureOptions.BurstIsiSeconds"/> (10 ms).</item>
/// <item><c>burst_acg_index</c>: (a - b) / (a + b) with a, b the ACG pair densities at lags [0, 10 ms) and [200, 300) ms;
/// near +1 for bursters, 0 when both densities are equal (Poisson), negative for refractory or regular units; a bounded,
/// monotone form of the ACG ratio a / b.</item>
/// <item><c>refractory_ms</c>: lower edge of the first 0.5 ms ACG bin reaching half the ACG density over [20, 50) ms
/// (the asymptote); capped at 20 ms; biased upward for units with few pairs.</item>
/// <item><c>skewness_20ms</c>, <c>kurtosis_20ms</c>: skewness and excess kurtosis of 20 ms binned counts (see <see cref="ActivityMoments"/>).</item>
/// <item><c>fano_100ms</c>, <c>fano_1000ms</c>: variance / mean of counts in whole windows (one per <see cref="NeuronFeatureOptions.FanoWindowSeconds"/>).</item>
/// <item><c>isi_logbin_00..19</c> (20): ISI histogram on log bins from 1 ms to 10 s (outliers in the edge bins), as probabilities summing to 1.</item>
/// <item><c>acg_narrow_+000ms..+049ms</c> (50): ACG at 1 ms bins over lags [0, 50) ms, named by lower edge.</item>
/// <item><c>acg_wide_+0000ms..+0980ms</c> (50): ACG at 20 ms bins over lags [0, 1) s.</item>
/// <item><c>acg_log_00..19</c> (20): ACG on log bins from 1 ms to 1 s.</item>
/// </list>
/// <para>Every ACG is one-sided and normalised by rate: pairs in a bin / (n · rate · bin width), so a Poisson unit reads
/// about 1 at every lag whatever its rate.</para>
/// <para>Fill rule (no NaN or infinity ever leaves): with no observation time the rate is 0; a statistic whose
/// denominator is empty is 0: CV, CV2, LV and burst index without enough ISIs (fewer than 2 or 3 spikes), histograms
/// and ACGs all zero without ISIs or pairs, Fano, skewness and kurtosis 0 when the counts have no spread or the window
/// holds fewer than two whole bins, <c>burst_acg_index</c> 0 without pairs, <c>refractory_ms</c> 0 without pairs below
/// 50 ms; <c>few_spikes</c> tells a model these zeros are fills. Any value that would still be non-finite is written as 0.</para>
/// <para>Restricted to intervals (<see cref="NeuronFeatureOptions.IntervalKind"/>, or <see cref="ComputeInIntervals"/>),
/// for data recorded only inside trials: the intervals are merged first (overlapping or touching ones become one
/// piece, empty ones are dropped) and the vector keeps its layout. Per family:</para>
/// <list type="bullet">
/// <item>Rates and <c>few_spikes</c>: only spikes inside a piece count, and the observation time is the total length of
/// the pieces.</item>
/// <item>ISI features (<c>isi_cv</c>, <c>isi_cv2</c>, <c>lv</c>, <c>burst_index</c>, <c>isi_logbin_*</c>): ISIs only
/// between consecutive spikes of the same piece, pooled over pieces; CV2 and LV pair only consecutive ISIs of one piece.
/// ISIs longer than a piece cannot be observed, so for short pieces the ISI distribution is censored (CV, the long-ISI
/// histogram bins and the burst index describe ISIs shorter than the pieces); CV2 and LV, being local, suffer least.</item>
/// <item>Autocorrelograms, <c>burst_acg_index</c>, <c>refractory_ms</c>: pairs only within one piece, and every
/// density is edge-corrected: pairs in a bin over rate² × Σ over pieces of ∫ max(0, L − τ) dτ across the bin (L the
/// piece length), which is what a Poisson train of the same rate gives inside the same pieces; a Poisson unit still
/// reads about 1 at every lag a piece can hold, and one long piece reduces to the whole-domain normaliser (up to
/// T / (T − τ)). Bins no piece can hold (lags beyond the longest piece, e.g. <c>acg_wide</c> above 400 ms for 0.4 s
/// trials) are 0; <c>burst_acg_index</c> is 0 when either of its lag ranges is unobservable (pieces of 200 ms or less by
/// default), <c>refractory_ms</c> when its reference range is (pieces of 20 ms or less).</item>
/// <item>Moments and Fano factors: each piece is tiled with whole bins from its own start; the partial last bin of a
/// piece is dropped with its spikes (as the whole-domain window's is), so no bin straddles a piece edge or a gap. Counts
/// of all pieces are pooled. A bin width longer than every piece leaves no bins, so the feature is the fill 0 (e.g.
/// <c>fano_1000ms</c> for 0.4 s trials).</item>
/// </list>
/// </remarks>
/// <example><code>
/// var options = new NeuronFeatureOptions();
/// float[] table = NeuronFeatures.ComputeAll(recording, options); // units x features, row-major
/// IReadOnlyList&lt;string&gt; names = NeuronFeatures.Names(options);
/// </code></example>
public static class NeuronFeatures
{
    /// <summary>The feature names, in vector order; the length is the vector length for these options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid (the exception names it).</exception>
    public static IReadOnlyList<string> Names(NeuronFeatureOptions options) => new NeuronFeatureLayout(options).Names;

    /// <summary>
    /// Features of one unit observed over [0, <paramref name="durationSeconds"/>).
    /// </summary>
    /// <param name="spikeTimes">The unit's spike times in seconds, ascending, inside [0, duration).</param>
    /// <param name="durationSeconds">Observation time in seconds (0 or more).</param>
    /// <param name="options">Feature settings.</param>
    /// <param name="destination">Receives <c>Names(options).Count</c> values.</param>
    /// <exception cref="ArgumentException">Spike times are unsorted, not finite or outside the window, or the destination is too short.</exception>
    public static void Compute(ReadOnlySpan<double> spikeTimes, double durationSeconds, NeuronFeatureOptions options, Span<float> destination) =>
        Compute(spikeTimes, 0, durationSeconds, options, destination);

    /// <summary>
    /// Features of one unit observed over [<paramref name="startSeconds"/>, <paramref name="endSeconds"/>): rate, Fano
    /// factors and moments use this window; ISIs and ACGs use the spikes. <see cref="NeuronFeatureOptions.IntervalKind"/>
    /// is not read here (the window is given); for intervals use <see cref="ComputeInIntervals"/>.
    /// </summary>
    /// <param name="spikeTimes">The unit's spike times in seconds, ascending, inside the window.</param>
    /// <param name="startSeconds">Start of the observation window.</param>
    /// <param name="endSeconds">End (exclusive) of the observation window, not before the start.</param>
    /// <param name="options">Feature settings.</param>
    /// <param name="destination">Receives <c>Names(options).Count</c> values.</param>
    /// <exception cref="ArgumentException">Spike times are unsorted, not finite or outside the window, or the destination is too short.</exception>
    public static void Compute(ReadOnlySpan<double> spikeTimes, double startSeconds, double endSeconds, NeuronFeatureOptions options, Span<float> destination)
    {
        if (!double.IsFinite(startSeconds)) throw new ArgumentOutOfRangeException(nameof(startSeconds), startSeconds, "window start must be finite");
        if (!(endSeconds >= startSeconds) || !double.IsFinite(endSeconds))
            throw new ArgumentOutOfRangeException(nameof(endSeconds), endSeconds, "the observation window must be finite and not end before it starts");
        var layout = new NeuronFeatureLayout(options);
        if (destination.Length < layout.Length)
            throw new ArgumentException($"destination holds {destination.Length} values but {layout.Length} features are needed", nameof(destination));
        CheckSorted(spikeTimes, nameof(spikeTimes));
        if (spikeTimes.Length > 0 && (spikeTimes[0] < startSeconds || spikeTimes[^1] >= endSeconds))
            throw new ArgumentException($"spike times run from {spikeTimes[0]} to {spikeTimes[^1]} s, outside the observation window [{startSeconds}, {endSeconds}) s", nameof(spikeTimes));
        NeuronFeatureComputer.Compute(spikeTimes, startSeconds, endSeconds, layout, new FeatureScratch(layout), destination);
    }

    /// <summary>
    /// Features of one unit observed only inside intervals (e.g. trials): the vector of
    /// <see cref="Compute(ReadOnlySpan{double}, double, double, NeuronFeatureOptions, Span{float})"/>, with spikes outside the
    /// intervals ignored, the total interval length as observation time, and no ISI, ACG pair or count bin spanning two
    /// intervals (the type's remarks say what each feature family does). <see cref="NeuronFeatureOptions.IntervalKind"/>
    /// is not read: the intervals are given.
    /// </summary>
    /// <param name="spikeTimes">The unit's spike times in seconds, ascending; they may lie anywhere.</param>
    /// <param name="intervalStarts">Interval starts, seconds, in any order; overlapping or touching intervals are merged.</param>
    /// <param name="intervalEnds">Interval ends (exclusive), one per start, each at or after its start.</param>
    /// <param name="options">Feature settings.</param>
    /// <param name="destination">Receives <c>Names(options).Count</c> values.</param>
    /// <exception cref="ArgumentException">Spike times are unsorted or not finite, the intervals are malformed or have no
    /// length in total, or the destination is too short.</exception>
    /// <example><code>
    /// var trials = recording.Intervals.OfKind("trial");
    /// var features = new float[NeuronFeatures.Names(options).Count];
    /// NeuronFeatures.ComputeInIntervals(recording.Spikes.TimesOf(3), trials.Select(i => i.Start).ToArray(),
    ///     trials.Select(i => i.End).ToArray(), options, features);
    /// </code></example>
    public static void ComputeInIntervals(ReadOnlySpan<double> spikeTimes, ReadOnlySpan<double> intervalStarts, ReadOnlySpan<double> intervalEnds,
        NeuronFeatureOptions options, Span<float> destination)
    {
        var layout = new NeuronFeatureLayout(options);
        if (destination.Length < layout.Length)
            throw new ArgumentException($"destination holds {destination.Length} values but {layout.Length} features are needed", nameof(destination));
        CheckSorted(spikeTimes, nameof(spikeTimes));
        var intervals = FeatureIntervals.TryCreate(intervalStarts, intervalEnds, layout)
            ?? throw new ArgumentException($"the {intervalStarts.Length} intervals have zero total length: there is no observation time", nameof(intervalEnds));
        NeuronFeatureComputer.ComputeInIntervals(spikeTimes, intervals, layout, new FeatureScratch(layout), destination);
    }

    /// <summary>
    /// Features of every unit of a recording, as a units x features row-major table (row u is unit u of
    /// <see cref="Recording.Units"/>): over the whole domain, or, when <see cref="NeuronFeatureOptions.IntervalKind"/> is
    /// set, only inside the recording's intervals of that kind (as <see cref="ComputeInIntervals"/>; the pieces and their
    /// ACG normalisers are computed once per recording). One pass groups the spikes by unit; units are then processed in
    /// parallel (<see cref="NeuronFeatureOptions.MaxDegreeOfParallelism"/>), each thread reusing its own counters. The
    /// result does not depend on the thread count.
    /// </summary>
    /// <param name="recording">The session.</param>
    /// <param name="options">Feature settings.</param>
    /// <param name="ct">Checked between units.</param>
    /// <exception cref="ArgumentException"><see cref="NeuronFeatureOptions.IntervalKind"/> is set and the recording has
    /// no interval of that kind, or its intervals of that kind have zero total length (the message names the session and
    /// the kind).</exception>
    public static float[] ComputeAll(Recording recording, NeuronFeatureOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(recording);
        var layout = new NeuronFeatureLayout(options);
        var intervals = options.IntervalKind is { } kind
            ? FeatureIntervals.ForSession(recording.SessionId, recording.Intervals, kind, layout)
            : null;
        int units = recording.Units.Count;
        var result = new float[(long)units * layout.Length];
        var (times, offsets) = SpikeGrouping.ByUnit(recording.Spikes);
        double start = recording.StartSeconds, end = recording.EndSeconds;
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : Environment.ProcessorCount,
            CancellationToken = ct,
        };
        Parallel.For(0, units, parallel, () => new FeatureScratch(layout), (u, _, scratch) =>
        {
            var spikes = times.AsSpan(offsets[u], offsets[u + 1] - offsets[u]);
            var row = result.AsSpan(u * layout.Length, layout.Length);
            if (intervals is null) NeuronFeatureComputer.Compute(spikes, start, end, layout, scratch, row);
            else NeuronFeatureComputer.ComputeInIntervals(spikes, intervals, layout, scratch, row);
            return scratch;
        }, _ => { });
        return result;
    }

    /// <summary>Throws <see cref="ArgumentException"/> at the first spike time that is not finite or out of order.</summary>
    internal static void CheckSorted(ReadOnlySpan<double> times, string paramName)
    {
        for (int i = 0; i < times.Length; i++)
        {
            if (!double.IsFinite(times[i]))
                throw new ArgumentException($"spike {i} has a time that is not a finite number ({times[i]})", paramName);
            if (i > 0 && times[i] < times[i - 1])
                throw new ArgumentException($"spike {i} at {times[i]} s comes after a later spike ({times[i - 1]} s): spike times must be sorted", paramName);
        }
    }
}
