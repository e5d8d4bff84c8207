using MLNeuro.Loaders;

namespace MLNeuro.Transforms.Tests;

/// <summary>Small recordings with behaviour and intervals for the decoding tests (no spikes: the contract never reads them).</summary>
internal static class DecodingTestData
{
    /// <summary>A recording over [start, end) with the given behaviour and intervals and no units.</summary>
    public static Recording Recording(string session, double start, double end, BehaviorSeries? behavior = null, params Interval[] intervals) =>
        new(session, "subject", UnitTable.Empty, SpikeTrain.Empty(0), start, end, behavior, new IntervalSet(intervals));

    /// <summary>Behaviour sampled every <paramref name="step"/> s from <paramref name="start"/> (n samples), channels computed from time.</summary>
    public static BehaviorSeries Sampled(double start, double step, int n, params (string Name, Func<double, float> Value)[] channels)
    {
        var times = Enumerable.Range(0, n).Select(i => start + i * step).ToArray();
        return new BehaviorSeries(times, channels.Select(c => c.Name).ToArray(), channels.Select(c => times.Select(c.Value).ToArray()).ToArray());
    }

    /// <summary>Asserts that two intervals have the same bounds (to <paramref name="precision"/> digits), kind and label.</summary>
    public static void AssertInterval(double start, double end, string kind, Interval actual, int precision = 12, string? label = null)
    {
        Assert.Equal(start, actual.Start, precision);
        Assert.Equal(end, actual.End, precision);
        Assert.Equal(kind, actual.Kind);
        Assert.Equal(label, actual.Label);
    }
}
