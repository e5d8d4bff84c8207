using MLNeuro.Loaders;
using MLNeuro.Transforms;

namespace MLNeuro.Estimators;

/// <summary>
/// A recording as POYO sees it: its rows in the unit and session vocabularies, and its behaviour normalised once
/// (row-major [sample, channel], NaN where missing) so that training windows only slice arrays.
/// </summary>
internal sealed class PoyoSession
{
    /// <param name="recording">The session.</param>
    /// <param name="sessionRow">Its row in the session vocabulary.</param>
    /// <param name="unitRows">Its units' rows in the unit vocabulary.</param>
    /// <param name="normalization">Behaviour normalisation (null when only scoring).</param>
    /// <param name="channels">Behaviour channels.</param>
    /// <param name="intervalWeights">Loss weight per interval kind (<see cref="PoyoDecodingOptions.IntervalLossWeights"/>).</param>
    public PoyoSession(Recording recording, int sessionRow, int[] unitRows, ChannelNormalization? normalization, IReadOnlyList<string> channels,
        IReadOnlyDictionary<string, double>? intervalWeights = null)
    {
        Recording = recording;
        SessionRow = sessionRow;
        UnitRows = unitRows;
        if (normalization is not null && recording.Behavior is not null)
        {
            var all = BehaviorTargets.Read(recording, channels, [new Interval(recording.StartSeconds, recording.EndSeconds, "all")]);
            BehaviorTimes = all.Times;
            NormalizedTargets = new float[all.Values.Length];
            normalization.Normalize(all.Values, NormalizedTargets);
            if (intervalWeights is { Count: > 0 }) SampleWeights = Weights(BehaviorTimes, recording.Intervals, intervalWeights);
        }
    }

    /// <summary>Loss weight of each behaviour sample (null = all 1).</summary>
    public float[]? SampleWeights { get; }

    // As the reference's readout preparation: start at 1, multiply by a kind's weight for every interval of that kind
    // that contains the sample ([start, end)).
    private static float[] Weights(double[] times, IEnumerable<Interval> intervals, IReadOnlyDictionary<string, double> weights)
    {
        var result = new float[times.Length];
        Array.Fill(result, 1f);
        foreach (var interval in intervals)
        {
            if (!weights.TryGetValue(interval.Kind, out double w)) continue;
            for (int i = TimeSearch.LowerBound(times, interval.Start); i < times.Length && times[i] < interval.End; i++) result[i] *= (float)w;
        }
        return result;
    }

    public Recording Recording { get; }

    public int SessionRow { get; }

    /// <summary>Row of each of the recording's units (by unit index) in the unit vocabulary.</summary>
    public int[] UnitRows { get; }

    public double[] BehaviorTimes { get; } = [];

    public float[] NormalizedTargets { get; } = [];

    /// <summary>The rows of <paramref name="recording"/>'s units in <paramref name="units"/>; errors name the unit.</summary>
    public static int[] RowsOf(Recording recording, Vocabulary units)
    {
        var rows = new int[recording.Units.Count];
        for (int u = 0; u < rows.Length; u++)
            rows[u] = units.IndexOf(Vocabulary.UnitKey(recording.SessionId, recording.Units[u].UnitId), "unit");
        return rows;
    }
}
