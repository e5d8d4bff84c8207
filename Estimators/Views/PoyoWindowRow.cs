using Microsoft.ML.Data;

namespace MLNeuro.Estimators;

/// <summary>
/// One row of <see cref="PoyoWindowView"/>: a window of one session as the inputs of POYO's ONNX graph
/// (<c>unit_index</c>, <c>token_type</c>, <c>token_value</c>, <c>token_times</c>, <c>session_index</c>,
/// <c>query_times</c>) plus where it sits (<c>session_id</c>, <c>window_start</c>). Token and query times are seconds
/// from the window start; add <see cref="WindowStart"/> to a query time for session time.
/// </summary>
public sealed class PoyoWindowRow
{
    /// <summary>The session.</summary>
    [ColumnName("session_id")] public string SessionId { get; set; } = "";

    /// <summary>Window start, session seconds.</summary>
    [ColumnName("window_start")] public double WindowStart { get; set; }

    /// <summary>Row of each token's unit in the model's unit vocabulary.</summary>
    [ColumnName("unit_index")] public long[] UnitIndex { get; set; } = [];

    /// <summary>Token type of each token (spike 0, unit start 1, unit end 2, value 3).</summary>
    [ColumnName("token_type")] public long[] TokenType { get; set; } = [];

    /// <summary>Value of each value token (dF/F); 0 for spike tokens.</summary>
    [ColumnName("token_value")] public float[] TokenValue { get; set; } = [];

    /// <summary>Time of each token, seconds from the window start.</summary>
    [ColumnName("token_times")] public double[] TokenTimes { get; set; } = [];

    /// <summary>Row of the session in the model's session vocabulary.</summary>
    [ColumnName("session_index"), VectorType(1)] public long[] SessionIndex { get; set; } = [0];

    /// <summary>Output times, seconds from the window start.</summary>
    [ColumnName("query_times")] public double[] QueryTimes { get; set; } = [];
}
