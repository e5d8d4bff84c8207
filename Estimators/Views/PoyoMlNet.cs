using Microsoft.ML;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Import;
using MLNeuro.Loaders.Views;
using MLNeuro.Transforms;

namespace MLNeuro.Estimators;

/// <summary>
/// POYO in an ML.NET pipeline: <see cref="AsPoyoWindowView"/> turns a dataset into one row per window (the graph's
/// inputs), and <see cref="DecodeBehaviorWithPoyo"/> scores the rows with the artifact's ONNX graph through ML.NET's
/// own <c>ApplyOnnxModel</c>, so the fitted pipeline saves and loads with <c>mlContext.Model.Save/Load</c> and runs
/// without libtorch. The output column <c>behavior</c> holds [queries, channels] row-major in the channels' units.
/// </summary>
/// <example><code>
/// var artifact = ModelArtifact.Read("poyo.zip");
/// IDataView windows = dataset.AsPoyoWindowView(artifact, mlContext);
/// ITransformer model = mlContext.Transforms.DecodeBehaviorWithPoyo(artifact).Fit(windows);
/// float[][] behavior = model.Transform(windows).GetColumn&lt;float[]&gt;("behavior").ToArray();
/// </code></example>
public static partial class PoyoMlNet
{
    /// <summary>The graph's input columns, in order.</summary>
    public static IReadOnlyList<string> InputColumns { get; } = ["unit_index", "token_type", "token_value", "token_times", "session_index", "query_times"];

    /// <summary>
    /// One row per window over every session of <paramref name="dataset"/> the artifact knows: windows of the model's
    /// length at its evaluation stride, covering each session's evaluation part (by the model's split) or, with
    /// <paramref name="wholeSessions"/>, the whole session. Queries are the behaviour sample times inside each window
    /// when the session has behaviour, else a grid at <paramref name="queryRateHz"/>. Rows are made as ML.NET reads
    /// them, one session in memory at a time.
    /// </summary>
    /// <param name="dataset">The sessions to decode (those the model knows).</param>
    /// <param name="artifact">A POYO artifact.</param>
    /// <param name="mlContext">The context whose <c>LoadFromEnumerable</c> makes the view.</param>
    /// <param name="wholeSessions">True for whole sessions; false for each session's evaluation part.</param>
    /// <param name="queryRateHz">Query grid rate for sessions without behaviour.</param>
    /// <param name="progress">Receives, from every pass over the view (each counts from 0), one report per session
    /// entered (Stage "session &lt;id&gt;", Done = windows that pass has produced), one every 1,000 windows and one at
    /// the end (Stage "done"). Total is 0: windows are counted only as each session is read.</param>
    /// <param name="cancellationToken">Checked before every row: a cancelled enumeration throws
    /// <see cref="OperationCanceledException"/>.</param>
    public static IDataView AsPoyoWindowView(this NeuralDataset dataset, ModelArtifact artifact, MLContext mlContext,
        bool wholeSessions = false, double queryRateHz = 50, IProgress<WorkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(mlContext);
        if (!(queryRateHz > 0)) throw new ArgumentOutOfRangeException(nameof(queryRateHz), queryRateHz, "must be positive");
        var state = PoyoArtifactState.FromArtifact(artifact);
        var known = state.Sessions.Where(id => dataset.Sessions.Any(s => s.SessionId == id)).ToArray();
        if (known.Length == 0)
            throw new ArgumentException($"dataset '{dataset.Path}' shares no session with the model (it knows {string.Join(", ", state.Sessions)})", nameof(dataset));
        var reports = new ViewProgress(progress, cancellationToken, totalRows: 0);
        return mlContext.Data.LoadFromEnumerable(Rows(dataset, state, known, wholeSessions, queryRateHz, reports));
    }

    /// <summary>Scores window rows with the artifact's ONNX graph (ML.NET <c>ApplyOnnxModel</c>); output column <c>behavior</c>.</summary>
    /// <exception cref="InvalidDataException">The artifact is not POYO or carries no ONNX graph.</exception>
    public static IEstimator<ITransformer> DecodeBehaviorWithPoyo(this TransformsCatalog catalog, ModelArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        PoyoArtifactState.FromArtifact(artifact);
        var onnx = artifact.OnnxModel ?? throw new InvalidDataException(
            "the POYO artifact has no ONNX graph (versions before 2026-11-28 did not export Mixture-of-Depths models): load it with PoyoDecoder.FromArtifact and write its ToArtifact again");
        return catalog.ApplyOnnxModel(["behavior"], InputColumns.ToArray(), new MemoryStream(onnx.ToArray()));
    }

    private static IEnumerable<PoyoWindowRow> Rows(NeuralDataset dataset, PoyoArtifactState state, string[] sessionIds, bool wholeSessions, double queryRateHz,
        ViewProgress reports)
    {
        var options = state.Options;
        var units = new Vocabulary(state.Units);
        var sessions = new Vocabulary(state.Sessions);
        var builder = new PoyoBatchBuilder(options);
        long rows = 0;
        foreach (var id in sessionIds)
        {
            reports.CancellationToken.ThrowIfCancellationRequested();
            var stage = ViewProgress.SessionStage(id);
            reports.Report(stage, rows);
            var recording = dataset.ReadRecording(id, RecordingParts.Spikes | RecordingParts.Behavior | RecordingParts.Traces);
            var session = new PoyoSession(recording, sessions.IndexOf(id, "session"), PoyoSession.RowsOf(recording, units), null, options.Channels);
            var intervals = wholeSessions
                ? new[] { new Interval(recording.StartSeconds, recording.EndSeconds, "all") }
                : DecodingSplit.Of(recording, options.Split).Evaluation.ToArray();
            foreach (var interval in intervals)
            {
                foreach (double start in PoyoDecoder.WindowStarts(interval, recording, options))
                {
                    reports.CancellationToken.ThrowIfCancellationRequested();
                    yield return WindowRow(builder, session, start, QueryTimes(recording, start, options.WindowSeconds, queryRateHz));
                    if (++rows % ViewProgress.ReportEveryRows == 0) reports.Report(stage, rows);
                }
            }
        }
        reports.Report(ViewProgress.DoneStage, rows);
    }

    /// <summary>One window as the graph's inputs; <paramref name="queries"/> in session time.</summary>
    internal static PoyoWindowRow WindowRow(PoyoBatchBuilder builder, PoyoSession session, double start, double[] queries)
    {
        var (unit, type, value, time) = builder.Tokenize(new PoyoWindow(session, start, queries));
        return new PoyoWindowRow
        {
            SessionId = session.Recording.SessionId, WindowStart = start, UnitIndex = unit, TokenType = type, TokenValue = value, TokenTimes = time,
            SessionIndex = [session.SessionRow], QueryTimes = queries.Select(t => t - start).ToArray(),
        };
    }

    /// <summary>The behaviour sample times inside a window, or a grid at <paramref name="rateHz"/> without behaviour.</summary>
    internal static double[] QueryTimes(Recording recording, double start, double length, double rateHz)
    {
        if (recording.Behavior is { } behavior) return behavior.Slice(start, start + length).Timestamps.ToArray();
        int n = (int)Math.Floor(length * rateHz);
        return Enumerable.Range(0, n).Select(k => start + (k + 0.5) / rateHz).ToArray();
    }
}
