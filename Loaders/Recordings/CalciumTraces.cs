namespace MLNeuro.Loaders;

/// <summary>
/// Calcium imaging traces: frame times in seconds (ascending) and one value per unit per frame (dF/F), stored unit
/// by unit. Immutable; <see cref="Slice"/> shares storage.
/// </summary>
/// <example><code>
/// var traces = new CalciumTraces(frameTimes, unitCount: 2, values); // values.Length == 2 * frameTimes.Length
/// ReadOnlySpan&lt;float&gt; first = traces.Unit(0);
/// </code></example>
public sealed class CalciumTraces
{
    private readonly double[] _timestamps;
    private readonly float[] _values;
    private readonly int _stride;
    private readonly int _offset;

    /// <summary>Copies the traces; <paramref name="unitMajorValues"/> holds unit 0's frames, then unit 1's, and so on.</summary>
    public CalciumTraces(ReadOnlySpan<double> frameTimes, int unitCount, ReadOnlySpan<float> unitMajorValues)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unitCount);
        if ((long)unitCount * frameTimes.Length != unitMajorValues.Length)
            throw new ArgumentException($"{unitMajorValues.Length} values for {unitCount} units x {frameTimes.Length} frames", nameof(unitMajorValues));
        int bad = TimeSearch.FirstUnsortedOrNonFinite(frameTimes);
        if (bad >= 0) throw new ArgumentException($"frame {bad} has time {frameTimes[bad]}: frame times must be finite and ascending", nameof(frameTimes));
        _timestamps = frameTimes.ToArray();
        _values = unitMajorValues.ToArray();
        _stride = frameTimes.Length;
        UnitCount = unitCount;
        FrameCount = frameTimes.Length;
    }

    private CalciumTraces(CalciumTraces parent, int offset, int count)
    {
        _timestamps = parent._timestamps;
        _values = parent._values;
        _stride = parent._stride;
        UnitCount = parent.UnitCount;
        _offset = offset;
        FrameCount = count;
    }

    /// <summary>Number of units (rows of the units table).</summary>
    public int UnitCount { get; }

    /// <summary>Number of frames.</summary>
    public int FrameCount { get; }

    /// <summary>Frame times in seconds.</summary>
    public ReadOnlySpan<double> Timestamps => _timestamps.AsSpan(_offset, FrameCount);

    /// <summary>Trace of one unit over the frames.</summary>
    public ReadOnlySpan<float> Unit(int unitIndex)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)unitIndex, (uint)UnitCount, nameof(unitIndex));
        return _values.AsSpan(unitIndex * _stride + _offset, FrameCount);
    }

    /// <summary>Frames with start &lt;= t &lt; end, sharing storage.</summary>
    public CalciumTraces Slice(double start, double end)
    {
        TimeSearch.CheckWindow(start, end);
        var (first, count) = TimeSearch.Range(Timestamps, start, end);
        return new CalciumTraces(this, _offset + first, count);
    }
}
