using MLNeuro.Loaders;

namespace MLNeuro.Estimators;

/// <summary>
/// The behaviour samples a decoder is trained or scored on: the sample times of a recording's behaviour inside given
/// intervals and the values of chosen channels, row-major [sample, channel]. NaN values (tracking dropouts) are kept as
/// NaN: losses and R² skip them element by element rather than dropping whole samples.
/// </summary>
/// <param name="Times">Sample times in seconds, ascending.</param>
/// <param name="Values">Values, row-major [Times.Length, channels].</param>
/// <param name="ChannelCount">Number of channels.</param>
public sealed record BehaviorTargets(double[] Times, float[] Values, int ChannelCount)
{
    /// <summary>Number of samples.</summary>
    public int Count => Times.Length;

    /// <summary>
    /// The samples of <paramref name="channels"/> inside <paramref name="intervals"/> (each interval [start, end)).
    /// Throws <see cref="ArgumentException"/> naming the session and channel when the recording has no behaviour or
    /// lacks a channel.
    /// </summary>
    public static BehaviorTargets Read(Recording recording, IReadOnlyList<string> channels, IEnumerable<Interval> intervals)
    {
        ArgumentNullException.ThrowIfNull(recording);
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(intervals);
        var behavior = recording.Behavior
            ?? throw new ArgumentException($"session '{recording.SessionId}' has no behaviour to decode", nameof(recording));
        var columns = ChannelIndices(recording.SessionId, behavior, channels);
        var times = new List<double>();
        var values = new List<float>();
        foreach (var interval in intervals)
        {
            var part = behavior.Slice(interval.Start, interval.End);
            var t = part.Timestamps;
            for (int i = 0; i < t.Length; i++)
            {
                times.Add(t[i]);
                foreach (int c in columns) values.Add(part.Channel(c)[i]);
            }
        }
        return new BehaviorTargets(times.ToArray(), values.ToArray(), channels.Count);
    }

    /// <summary>Indices of <paramref name="channels"/> in <paramref name="behavior"/>; the error lists the channels there are.</summary>
    public static int[] ChannelIndices(string sessionId, BehaviorSeries behavior, IReadOnlyList<string> channels)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        if (channels.Count == 0) throw new ArgumentException("no behaviour channel to decode", nameof(channels));
        var indices = new int[channels.Count];
        for (int c = 0; c < channels.Count; c++)
        {
            int found = -1;
            for (int k = 0; k < behavior.ChannelNames.Count; k++)
                if (behavior.ChannelNames[k] == channels[c]) { found = k; break; }
            indices[c] = found >= 0 ? found : throw new ArgumentException(
                $"session '{sessionId}' has no behaviour channel '{channels[c]}'; channels: {string.Join(", ", behavior.ChannelNames)}", nameof(channels));
        }
        return indices;
    }
}
