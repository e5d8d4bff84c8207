namespace MLNeuro.Loaders;

/// <summary>
/// Behaviour sampled at irregular times: ascending timestamps in seconds and named float channels (e.g. "x", "y",
/// "vx", "vy"). Values may be NaN (tracking dropouts); timestamps must be finite and ascending. Immutable.
/// </summary>
/// <example><code>
/// var behavior = new BehaviorSeries(times, new[] { "x", "y" }, new[] { xs, ys });
/// ReadOnlySpan&lt;float&gt; x = behavior.Channel("x");
/// </code></example>
public sealed class BehaviorSeries
{
    private readonly double[] _timestamps;
    private readonly float[][] _channels;
    private readonly int _offset;

    /// <summary>Copies the samples; throws <see cref="ArgumentException"/> naming the channel or sample at fault.</summary>
    public BehaviorSeries(ReadOnlySpan<double> timestamps, IReadOnlyList<string> channelNames, IReadOnlyList<float[]> channels)
        : this(timestamps.ToArray(), channelNames.ToArray(), channels.Select(c => (float[])c.Clone()).ToArray(), validate: true)
    {
    }

    private BehaviorSeries(double[] timestamps, string[] names, float[][] channels, bool validate)
    {
        if (validate)
        {
            if (names.Length != channels.Length)
                throw new ArgumentException($"{names.Length} channel names but {channels.Length} channels", nameof(channels));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int c = 0; c < names.Length; c++)
            {
                if (string.IsNullOrWhiteSpace(names[c])) throw new ArgumentException($"behaviour channel {c} has an empty name", nameof(channels));
                if (!seen.Add(names[c])) throw new ArgumentException($"behaviour channel '{names[c]}' appears twice", nameof(channels));
                if (channels[c].Length != timestamps.Length)
                    throw new ArgumentException($"behaviour channel '{names[c]}' has {channels[c].Length} values for {timestamps.Length} timestamps", nameof(channels));
            }
            int bad = TimeSearch.FirstUnsortedOrNonFinite(timestamps);
            if (bad >= 0)
                throw new ArgumentException($"behaviour sample {bad} has timestamp {timestamps[bad]}: timestamps must be finite and ascending", nameof(timestamps));
        }
        _timestamps = timestamps;
        ChannelNames = names;
        _channels = channels;
        Count = timestamps.Length;
    }

    private BehaviorSeries(BehaviorSeries parent, int offset, int count)
    {
        _timestamps = parent._timestamps;
        _channels = parent._channels;
        ChannelNames = parent.ChannelNames;
        _offset = offset;
        Count = count;
    }

    /// <summary>Takes ownership of the arrays after validating them.</summary>
    internal static BehaviorSeries Wrap(double[] timestamps, string[] names, float[][] channels) => new(timestamps, names, channels, validate: true);

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>Channel names, in storage order.</summary>
    public IReadOnlyList<string> ChannelNames { get; }

    /// <summary>Sample times in seconds.</summary>
    public ReadOnlySpan<double> Timestamps => _timestamps.AsSpan(_offset, Count);

    /// <summary>Values of the channel at an index.</summary>
    public ReadOnlySpan<float> Channel(int index) => _channels[index].AsSpan(_offset, Count);

    /// <summary>Values of a named channel; throws <see cref="KeyNotFoundException"/> listing the channels there are.</summary>
    public ReadOnlySpan<float> Channel(string name)
    {
        for (int c = 0; c < ChannelNames.Count; c++) if (ChannelNames[c] == name) return Channel(c);
        throw new KeyNotFoundException($"no behaviour channel '{name}'; channels: {string.Join(", ", ChannelNames)}");
    }

    /// <summary>Samples with start &lt;= t &lt; end, sharing storage.</summary>
    public BehaviorSeries Slice(double start, double end)
    {
        TimeSearch.CheckWindow(start, end);
        var (first, count) = TimeSearch.Range(Timestamps, start, end);
        return new BehaviorSeries(this, _offset + first, count);
    }
}
