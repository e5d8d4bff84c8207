using MLNeuro.Loaders;
using MLNeuro.Transforms;

namespace MLNeuro.Estimators;

/// <summary>
/// A recording as POYO sees it: its rows in the unit and session vocabularies, and its behaviour normalised once
/// (row-major [sample, channel], NaN where missing) so that training windows only slice arrays.
/// </summary>
internal sealed class PoyoSession
{
    public PoyoSession(Recording recording, int sessionRow, int[] unitRows, ChannelNormalization? normalization, IReadOnlyList<string> channels)
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
        }
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
