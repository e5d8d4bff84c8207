using Microsoft.ML.Data;

namespace MLNeuro.Estimators;

/// <summary>
/// One row of <see cref="PoyoWindowView.StitchTraces"/>: the decoded behaviour of a session at one time, averaged over
/// every window that covers that time.
/// </summary>
public sealed class PoyoTraceRow
{
    /// <summary>The session.</summary>
    [ColumnName("session_id")] public string SessionId { get; set; } = "";

    /// <summary>Session time, seconds.</summary>
    [ColumnName("time")] public double Time { get; set; }

    /// <summary>Decoded value of each behaviour channel, in the channels' units.</summary>
    [ColumnName("behavior")] public float[] Behavior { get; set; } = [];

    /// <summary>How many windows covered this time (1 or 2 at the default window and stride).</summary>
    [ColumnName("windows")] public int Windows { get; set; }
}
