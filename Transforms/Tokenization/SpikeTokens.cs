namespace MLNeuro.Transforms;

/// <summary>
/// The tokens of one window, as parallel spans of length <see cref="Count"/>: unit index, time relative to the window
/// start, token type and value. A reusable container: every call of <see cref="SpikeTokenizer"/> overwrites it
/// completely (no stale tokens survive) and reuses its buffers, which only grow, so tokenizing window after window
/// allocates nothing once the largest window has been seen. Spans stay valid until the next call that fills the container.
/// </summary>
/// <remarks>
/// Times are <c>double</c> seconds relative to <see cref="WindowStartSeconds"/>: relative, because POYO feeds window
/// times to rotary attention; double, because float32 loses the spike time (a float near 1 s has a 60 ns step),
/// while double keeps it to 2e-16 s and detokenizes exactly in the cases <see cref="SpikeTokenizer.Detokenize"/> lists. A model that wants float32
/// converts when it builds its input tensor, which it copies anyway.
/// </remarks>
/// <example><code>
/// var tokens = new SpikeTokens();
/// foreach (double start in windowStarts)
/// {
///     SpikeTokenizer.Tokenize(recording, start, start + 1.0, new SpikeTokenizerOptions(), tokens);
///     Consume(tokens.UnitIndices, tokens.Times, tokens.Types);
/// }
/// </code></example>
public sealed class SpikeTokens
{
    private int[] _units = [];
    private double[] _times = [];
    private TokenType[] _types = [];
    private float[] _values = [];
    private int[] _vocabulary = [];
    private int _vocabularyCount;
    private bool[] _unitSeen = [];
    private int[] _unitScratch = [];

    /// <summary>Number of tokens.</summary>
    public int Count { get; private set; }

    /// <summary>Unit index of each token (the recording's unit index, the row of its units table).</summary>
    public ReadOnlySpan<int> UnitIndices => _units.AsSpan(0, Count);

    /// <summary>Time of each token in seconds relative to <see cref="WindowStartSeconds"/>, in [0, window length].</summary>
    public ReadOnlySpan<double> Times => _times.AsSpan(0, Count);

    /// <summary>Type of each token.</summary>
    public ReadOnlySpan<TokenType> Types => _types.AsSpan(0, Count);

    /// <summary>dF/F of each <see cref="TokenType.Value"/> token; 0 for spike, start and end tokens.</summary>
    public ReadOnlySpan<float> Values => _values.AsSpan(0, Count);

    /// <summary>
    /// The distinct unit indices of the window, ascending: the units whose embeddings the model needs for it. For spikes,
    /// the units with a spike in the window (counted before any cap), or every unit of the recording when start/end tokens
    /// go to all units; for calcium traces, every unit of the traces (or none when the window holds no frame).
    /// </summary>
    public ReadOnlySpan<int> UnitVocabulary => _vocabulary.AsSpan(0, _vocabularyCount);

    /// <summary>Spikes of the window left out because of <see cref="SpikeTokenizerOptions.MaxTokens"/>; 0 when none were.</summary>
    public int DroppedSpikes { get; private set; }

    /// <summary>Start of the tokenized window, seconds (absolute): token times are relative to it.</summary>
    public double WindowStartSeconds { get; private set; }

    /// <summary>End of the tokenized window (exclusive), seconds (absolute).</summary>
    public double WindowEndSeconds { get; private set; }

    /// <summary>
    /// Starts a fill: sets the header and makes room for <paramref name="count"/> tokens and
    /// <paramref name="vocabularyCount"/> vocabulary entries. Old contents are not preserved: the caller writes them all.
    /// </summary>
    internal void Begin(int count, int vocabularyCount, int droppedSpikes, double windowStart, double windowEnd)
    {
        if (_units.Length < count)
        {
            // Grow geometrically so a slowly growing stream of windows does not reallocate on every call.
            int capacity = (int)Math.Min(Array.MaxLength, Math.Max(count, 2L * _units.Length));
            _units = new int[capacity];
            _times = new double[capacity];
            _types = new TokenType[capacity];
            _values = new float[capacity];
        }
        if (_vocabulary.Length < vocabularyCount) _vocabulary = new int[vocabularyCount];
        Count = count;
        _vocabularyCount = vocabularyCount;
        DroppedSpikes = droppedSpikes;
        WindowStartSeconds = windowStart;
        WindowEndSeconds = windowEnd;
    }

    /// <summary>Writable views of the first <see cref="Count"/> tokens, for the tokenizer.</summary>
    internal Span<int> UnitBuffer => _units.AsSpan(0, Count);

    internal Span<double> TimeBuffer => _times.AsSpan(0, Count);

    internal Span<TokenType> TypeBuffer => _types.AsSpan(0, Count);

    internal Span<float> ValueBuffer => _values.AsSpan(0, Count);

    internal Span<int> VocabularyBuffer => _vocabulary.AsSpan(0, _vocabularyCount);

    /// <summary>Integer scratch reused across calls (the cap rule's per-unit counts); contents undefined.</summary>
    internal Span<int> UnitScratch(int length)
    {
        if (_unitScratch.Length < length) _unitScratch = new int[length];
        return _unitScratch.AsSpan(0, length);
    }

    /// <summary>A cleared flag per unit, reused across calls, for finding the units present in a window.</summary>
    internal Span<bool> ClearedUnitFlags(int unitCount)
    {
        if (_unitSeen.Length < unitCount) _unitSeen = new bool[unitCount];
        var flags = _unitSeen.AsSpan(0, unitCount);
        flags.Clear();
        return flags;
    }
}
