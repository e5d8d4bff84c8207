using MLNeuro.Loaders;

namespace MLNeuro.Transforms;

/// <summary>
/// Turns a window of a recording into POYO's token sequence: one token per spike, plus a start and an end token per
/// unit, each with its unit index, its time relative to the window start and its type; and calcium traces into value
/// tokens. <see cref="Detokenize"/> gives the spikes back (exactly) for tests.
/// </summary>
/// <remarks>
/// <para><b>Token order</b> (deterministic, and ascending in time): the <see cref="TokenType.UnitStart"/> tokens at time 0,
/// by unit index; then the spikes of [start, end) in time order, equal times by unit index (the order
/// <see cref="SpikeTrain"/> guarantees); then the <see cref="TokenType.UnitEnd"/> tokens at time end - start, by unit index.
/// Which units get start/end tokens is <see cref="SpikeTokenizerOptions.StartEndTokensFor"/>.</para>
/// <para><b>Cap</b>: start and end tokens are always kept. When the window's n spikes exceed the B token slots left by
/// <see cref="SpikeTokenizerOptions.MaxTokens"/>, exactly B spikes are kept: each unit gets a quota proportional to its
/// spike count (B·n_u / n, rounded by largest remainder, ties to the lower unit index) and keeps it evenly spread over its
/// own spikes in time (spike j of a unit with m spikes and quota q is kept when floor((j + 1)·q / m) &gt; floor(j·q / m)).
/// Every unit thus keeps the same fraction B / n of its spikes (up to rounding), so relative firing rates and the coverage
/// of the window are preserved, unlike truncating the end of the window or dropping whole units; no random number is
/// drawn, so the same window always gives the same tokens. Kept spikes stay in time order. The number dropped, n - B, is reported in <see cref="SpikeTokens.DroppedSpikes"/>. A window whose
/// start/end tokens alone exceed MaxTokens is an error, not a silent loss of units.</para>
/// <para><b>Windows</b> are [start, end) with end &gt; start, both finite. With a <see cref="Recording"/>, the window must lie
/// inside the recording's domain: a window reaching outside is an error, not clipped, because padding it with silence
/// would invent data and clipping it would change the window length the model was trained with. With a bare
/// <see cref="SpikeTrain"/>, which has no domain, any window is accepted and spikeless time is silence.</para>
/// </remarks>
/// <example><code>
/// var tokens = new SpikeTokens();
/// SpikeTokenizer.Tokenize(recording, 12.0, 13.0, new SpikeTokenizerOptions(), tokens);
/// var (times, units) = SpikeTokenizer.Detokenize(tokens, 12.0); // the spikes of [12, 13) s
/// </code></example>
public static class SpikeTokenizer
{
    /// <summary>
    /// Tokenizes the spikes of <paramref name="recording"/> in [<paramref name="windowStart"/>, <paramref name="windowEnd"/>)
    /// into <paramref name="destination"/>, overwriting it. The window must lie inside the recording's domain.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is not finite, has end &lt;= start, or reaches outside the recording (names the bound at fault).</exception>
    /// <exception cref="ArgumentException">The start/end tokens alone exceed <see cref="SpikeTokenizerOptions.MaxTokens"/>.</exception>
    public static void Tokenize(Recording recording, double windowStart, double windowEnd, SpikeTokenizerOptions options, SpikeTokens destination)
    {
        ArgumentNullException.ThrowIfNull(recording);
        CheckWindow(windowStart, windowEnd);
        if (windowStart < recording.StartSeconds)
            throw new ArgumentOutOfRangeException(nameof(windowStart), windowStart,
                $"session '{recording.SessionId}': the window starts before the recording's domain [{recording.StartSeconds}, {recording.EndSeconds}) s");
        if (windowEnd > recording.EndSeconds)
            throw new ArgumentOutOfRangeException(nameof(windowEnd), windowEnd,
                $"session '{recording.SessionId}': the window ends after the recording's domain [{recording.StartSeconds}, {recording.EndSeconds}) s");
        Tokenize(recording.Spikes, windowStart, windowEnd, options, destination);
    }

    /// <summary>
    /// Tokenizes the spikes of <paramref name="spikes"/> in [<paramref name="windowStart"/>, <paramref name="windowEnd"/>)
    /// into <paramref name="destination"/>, overwriting it. The population (for <see cref="StartEndTokenUnits.AllUnits"/>)
    /// is the train's <see cref="SpikeTrain.UnitCount"/> units.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is not finite or has end &lt;= start (names the bound at fault).</exception>
    /// <exception cref="ArgumentException">The start/end tokens alone exceed <see cref="SpikeTokenizerOptions.MaxTokens"/>.</exception>
    public static void Tokenize(SpikeTrain spikes, double windowStart, double windowEnd, SpikeTokenizerOptions options, SpikeTokens destination)
    {
        ArgumentNullException.ThrowIfNull(spikes);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(destination);
        options.Validate();
        CheckWindow(windowStart, windowEnd);

        var window = spikes.Slice(windowStart, windowEnd);
        var times = window.Timestamps;
        var units = window.UnitIndices;

        bool allUnits = options.EmitStartEndTokens && options.StartEndTokensFor == StartEndTokenUnits.AllUnits;
        Span<bool> present = allUnits ? default : destination.ClearedUnitFlags(spikes.UnitCount);
        int vocabularyCount = allUnits ? spikes.UnitCount : MarkUnitsPresent(units, present);
        int markers = options.EmitStartEndTokens ? vocabularyCount : 0;
        if (2L * markers > options.MaxTokens)
            throw new ArgumentException(
                $"MaxTokens ({options.MaxTokens}) cannot hold the {2L * markers} start/end tokens of the window's {markers} units: " +
                "raise MaxTokens or use StartEndTokensFor = UnitsWithSpikes", nameof(options));
        int budget = options.MaxTokens - 2 * markers;
        int kept = Math.Min(times.Length, budget);

        destination.Begin(2 * markers + kept, vocabularyCount, times.Length - kept, windowStart, windowEnd);
        var vocabulary = destination.VocabularyBuffer;
        if (vocabularyCount == spikes.UnitCount) FillAscending(vocabulary);
        else CollectFlagged(present, vocabulary);

        var outUnits = destination.UnitBuffer;
        var outTimes = destination.TimeBuffer;
        var outTypes = destination.TypeBuffer;
        destination.ValueBuffer.Clear();

        if (markers > 0)
        {
            double length = windowEnd - windowStart;
            vocabulary.CopyTo(outUnits);
            outTimes[..markers].Clear();
            outTypes[..markers].Fill(TokenType.UnitStart);
            int endAt = markers + kept;
            vocabulary.CopyTo(outUnits[endAt..]);
            outTimes.Slice(endAt, markers).Fill(length);
            outTypes.Slice(endAt, markers).Fill(TokenType.UnitEnd);
        }

        outTypes.Slice(markers, kept).Fill(TokenType.Spike);
        if (kept == times.Length)
            WriteSpikes(times, units, windowStart, outUnits.Slice(markers, kept), outTimes.Slice(markers, kept));
        else
            SpikeThinning.Write(times, units, windowStart, spikes.UnitCount, destination.UnitScratch(3 * spikes.UnitCount),
                outUnits.Slice(markers, kept), outTimes.Slice(markers, kept));
    }

    /// <summary>
    /// Value tokens for calcium traces: one <see cref="TokenType.Value"/> token per (frame, unit) for the frames in
    /// [<paramref name="windowStart"/>, <paramref name="windowEnd"/>), frame by frame in time order and by unit index within
    /// a frame, with the frame time relative to the window start and the unit's dF/F as the value (copied as stored).
    /// No start/end tokens and no cap: the count is units x frames, known from the frame rate before the call.
    /// The vocabulary is every unit of the traces when the window holds a frame, else empty.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is not finite or has end &lt;= start (names the bound at fault).</exception>
    /// <exception cref="ArgumentException">The window holds more than <see cref="Array.MaxLength"/> values.</exception>
    public static void TokenizeTraces(CalciumTraces traces, double windowStart, double windowEnd, SpikeTokens destination)
    {
        ArgumentNullException.ThrowIfNull(traces);
        ArgumentNullException.ThrowIfNull(destination);
        CheckWindow(windowStart, windowEnd);

        var window = traces.Slice(windowStart, windowEnd);
        int frames = window.FrameCount, unitCount = window.UnitCount;
        long count = (long)frames * unitCount;
        if (count > Array.MaxLength)
            throw new ArgumentException($"the window holds {frames} frames x {unitCount} units = {count} values, more than one array can hold", nameof(windowEnd));

        destination.Begin((int)count, frames > 0 ? unitCount : 0, 0, windowStart, windowEnd);
        FillAscending(destination.VocabularyBuffer);
        var outUnits = destination.UnitBuffer;
        var outTimes = destination.TimeBuffer;
        var outValues = destination.ValueBuffer;
        destination.TypeBuffer.Fill(TokenType.Value);
        var frameTimes = window.Timestamps;
        for (int u = 0; u < unitCount; u++)
        {
            // Unit-major source, frame-major tokens: walk each unit's trace once, writing with a stride of unitCount.
            var trace = window.Unit(u);
            for (int f = 0, k = u; f < frames; f++, k += unitCount)
            {
                outUnits[k] = u;
                outTimes[k] = frameTimes[f] - windowStart;
                outValues[k] = trace[f];
            }
        }
    }

    /// <summary>
    /// The spikes of a token sequence (its <see cref="TokenType.Spike"/> tokens, in token order) in absolute time:
    /// relative time + <paramref name="windowStart"/>. Without a cap this reproduces the window's spikes exactly, bit for
    /// bit, whenever t - start is exact in double, which holds for 0 &lt;= start &lt;= t when t &lt;= 2·start (every window
    /// that starts at or after its own length: Sterbenz) or when start is a multiple of t's ulp (e.g. windows on a
    /// 1/1024 s grid, as strided samplers give, for t &lt; 2^33 s). Otherwise no double relative time can always add back
    /// to t (a start whose last bit is half of t's ulp makes every such sum a rounding tie), and a spike may come back one
    /// ulp of t away (2e-16 s near 1 s); for negative starts, within one ulp of the relative time.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="windowStart"/> is not finite.</exception>
    public static (double[] Times, int[] Units) Detokenize(SpikeTokens tokens, double windowStart)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (!double.IsFinite(windowStart))
            throw new ArgumentOutOfRangeException(nameof(windowStart), windowStart, "window start must be a finite number of seconds");
        var types = tokens.Types;
        int spikes = 0;
        foreach (var type in types) if (type == TokenType.Spike) spikes++;
        var times = new double[spikes];
        var units = new int[spikes];
        var relative = tokens.Times;
        var unitIndices = tokens.UnitIndices;
        for (int i = 0, k = 0; i < types.Length; i++)
        {
            if (types[i] != TokenType.Spike) continue;
            times[k] = relative[i] + windowStart;
            units[k++] = unitIndices[i];
        }
        return (times, units);
    }

    private static void CheckWindow(double windowStart, double windowEnd)
    {
        if (!double.IsFinite(windowStart))
            throw new ArgumentOutOfRangeException(nameof(windowStart), windowStart, "window start must be a finite number of seconds");
        if (!double.IsFinite(windowEnd))
            throw new ArgumentOutOfRangeException(nameof(windowEnd), windowEnd, "window end must be a finite number of seconds");
        if (!(windowEnd > windowStart))
            throw new ArgumentOutOfRangeException(nameof(windowEnd), windowEnd, $"window end must be after its start ({windowStart} s)");
    }

    private static int MarkUnitsPresent(ReadOnlySpan<int> units, Span<bool> seen)
    {
        int present = 0;
        foreach (int u in units)
        {
            if (seen[u]) continue;
            seen[u] = true;
            present++;
        }
        return present;
    }

    private static void CollectFlagged(ReadOnlySpan<bool> seen, Span<int> vocabulary)
    {
        for (int u = 0, k = 0; u < seen.Length; u++)
            if (seen[u]) vocabulary[k++] = u;
    }

    private static void FillAscending(Span<int> vocabulary)
    {
        for (int u = 0; u < vocabulary.Length; u++) vocabulary[u] = u;
    }

    private static void WriteSpikes(ReadOnlySpan<double> times, ReadOnlySpan<int> units, double start, Span<int> outUnits, Span<double> outTimes)
    {
        units.CopyTo(outUnits);
        for (int i = 0; i < times.Length; i++) outTimes[i] = times[i] - start;
    }

}
