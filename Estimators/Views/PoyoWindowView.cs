using Microsoft.ML;
using Microsoft.ML.Data;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Import;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Estimators;

/// <summary>
/// One row per POYO window of a dataset: the inputs of the artifact's ONNX graph, scored by
/// <c>mlContext.Transforms.DecodeBehaviorWithPoyo</c>. Create it with
/// <see cref="ModelDatasetViews.AsPoyoWindowView"/>; turn the scored rows into per-time traces with
/// <see cref="StitchTraces"/>.
/// </summary>
/// <remarks>
/// <para>Columns: session_id (Text), window_start (Double, session seconds), then the graph's inputs
/// (<see cref="InputColumns"/>): unit_index, token_type (variable-length vectors of Int64), token_value (Single),
/// token_times (Double, seconds from the window start), session_index (a vector of one Int64) and query_times (Double,
/// seconds from the window start). The fields of <see cref="PoyoWindowRow"/> describe each.</para>
/// <para>Windows have the model's length at its evaluation stride and cover each session's evaluation part (by the
/// model's split) or, with <see cref="PoyoWindowViewOptions.WholeSessions"/>, the whole session. Queries are the
/// behaviour sample times inside each window when the session has behaviour, else a grid at
/// <see cref="PoyoWindowViewOptions.QueryRateHz"/>. Window positions depend only on each session's domain and intervals,
/// so they are counted when the view is created (<see cref="GetRowCount"/> is exact); spikes and behaviour are read one
/// session at a time, and only by cursors that activate a token or query column.</para>
/// </remarks>
/// <example><code>
/// var artifact = ModelArtifact.Read("poyo.zip");
/// PoyoWindowView windows = dataset.AsPoyoWindowView(artifact);
/// ITransformer model = mlContext.Transforms.DecodeBehaviorWithPoyo(artifact).Fit(windows);
/// IDataView traces = windows.StitchTraces(model.Transform(windows), mlContext);
/// </code></example>
public sealed class PoyoWindowView : IDataView
{
    /// <summary>The graph's output column, "behavior": [queries, channels] row-major.</summary>
    public const string OutputColumn = "behavior";

    /// <summary>The graph's input columns, in order.</summary>
    public static IReadOnlyList<string> InputColumns { get; } = ["unit_index", "token_type", "token_value", "token_times", "session_index", "query_times"];

    internal const int SessionIdColumn = 0, WindowStartColumn = 1, FirstInputColumn = 2;

    internal PoyoWindowView(NeuralDataset dataset, ModelArtifact artifact, PoyoWindowViewOptions options,
        IProgress<WorkProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        State = PoyoArtifactState.FromArtifact(artifact);
        Dataset = dataset;
        ViewOptions = options;
        // Dataset position by id, once: a dataset may hold thousands of sessions.
        var datasetIndex = Enumerable.Range(0, dataset.Sessions.Count).ToDictionary(i => dataset.Sessions[i].SessionId, StringComparer.Ordinal);
        var known = State.Sessions.Where(datasetIndex.ContainsKey).ToArray();
        if (known.Length == 0)
            throw new ArgumentException($"dataset '{dataset.Path}' shares no session with the model (it knows {string.Join(", ", State.Sessions)})", nameof(dataset));

        var sessions = new List<SessionWindows>();
        long total = 0;
        foreach (var id in known)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // No spikes: window positions need only the domain and the intervals.
            var recording = dataset.ReadRecording(id, RecordingParts.None);
            var intervals = options.WholeSessions
                ? new[] { new Interval(recording.StartSeconds, recording.EndSeconds, "all") }
                : DecodingSplit.Of(recording, State.Options.Split).Evaluation.ToArray();
            var starts = intervals.SelectMany(interval => PoyoDecoder.WindowStarts(interval, recording, State.Options)).ToArray();
            sessions.Add(new SessionWindows(id, datasetIndex[id], starts));
            total += starts.Length;
        }
        Sessions = sessions.ToArray();
        RowCount = total;
        Progress = new ViewProgress(progress, cancellationToken, RowCount);

        var builder = new DataViewSchema.Builder();
        builder.AddColumn(ViewColumnNames.SessionId, TextDataViewType.Instance);
        builder.AddColumn("window_start", NumberDataViewType.Double);
        builder.AddColumn(InputColumns[0], new VectorDataViewType(NumberDataViewType.Int64));
        builder.AddColumn(InputColumns[1], new VectorDataViewType(NumberDataViewType.Int64));
        builder.AddColumn(InputColumns[2], new VectorDataViewType(NumberDataViewType.Single));
        builder.AddColumn(InputColumns[3], new VectorDataViewType(NumberDataViewType.Double));
        builder.AddColumn(InputColumns[4], new VectorDataViewType(NumberDataViewType.Int64, 1));
        builder.AddColumn(InputColumns[5], new VectorDataViewType(NumberDataViewType.Double));
        Schema = builder.ToSchema();
    }

    /// <summary>A session the model knows, its position in the dataset (row-id base) and its window starts.</summary>
    internal sealed record SessionWindows(string SessionId, int DatasetIndex, double[] Starts);

    internal NeuralDataset Dataset { get; }

    internal PoyoArtifactState State { get; }

    internal PoyoWindowViewOptions ViewOptions { get; }

    internal SessionWindows[] Sessions { get; }

    internal long RowCount { get; }

    internal ViewProgress Progress { get; }

    /// <summary>The columns listed in the class remarks.</summary>
    /// <example><code>
    /// DataViewSchema.Column queries = windows.Schema["query_times"];
    /// </code></example>
    public DataViewSchema Schema { get; }

    /// <summary>False: windows are tokenized one after another from each session's spikes.</summary>
    /// <example><code>
    /// bool shuffles = windows.CanShuffle;   // false
    /// </code></example>
    public bool CanShuffle => false;

    /// <summary>The number of windows, exact (counted when the view was created).</summary>
    /// <example><code>
    /// long rows = windows.GetRowCount()!.Value;
    /// </code></example>
    public long? GetRowCount() => RowCount;

    /// <summary>A cursor over the windows in session and time order; <paramref name="rand"/> is ignored (no shuffling).</summary>
    /// <example><code>
    /// using var cursor = windows.GetRowCursor(windows.Schema);
    /// </code></example>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new PoyoWindowCursor(this, columnsNeeded);

    /// <summary>A single cursor: parallel cursors would hold several sessions' spikes at once.</summary>
    /// <example><code>
    /// DataViewRowCursor[] cursors = windows.GetRowCursorSet(windows.Schema, n: 4);   // one cursor
    /// </code></example>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    /// <summary>
    /// Joins the scored windows of this view into one row per session and query time (<see cref="PoyoTraceRow"/>):
    /// where windows overlap, the predictions at the same time are averaged. Rows of one session must be contiguous
    /// (as this view produces them).
    /// </summary>
    /// <param name="scored">This view's rows with the behaviour column (session_id, window_start, query_times kept).</param>
    /// <param name="mlContext">The context that builds the result view.</param>
    /// <param name="behaviorColumnName">The decoded column; default "behavior".</param>
    /// <exception cref="ArgumentException">A column is missing (the message names it).</exception>
    /// <example><code>
    /// var traces = mlContext.Data.CreateEnumerable&lt;PoyoTraceRow&gt;(windows.StitchTraces(scored, mlContext), reuseRowObject: false);
    /// </code></example>
    public IDataView StitchTraces(IDataView scored, MLContext mlContext, string behaviorColumnName = OutputColumn) =>
        PoyoTraceStitching.Stitch(scored, mlContext, behaviorColumnName);

    /// <summary>The scorer of this view's rows: the artifact's ONNX graph with its output renamed when asked.</summary>
    internal static IEstimator<ITransformer> Scorer(TransformsCatalog catalog, string outputColumnName, ModelArtifact artifact)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        PoyoArtifactState.FromArtifact(artifact);
        var onnx = artifact.OnnxModel ?? throw new InvalidDataException(
            "the POYO artifact has no ONNX graph (versions before 2026-11-28 did not export Mixture-of-Depths models): load it with PoyoDecoder.FromArtifact and write its ToArtifact again");
        var graph = onnx.ToArray();
        if (InputColumns.Contains(outputColumnName) || outputColumnName is ViewColumnNames.SessionId or "window_start")
            throw new ArgumentException($"the output column '{outputColumnName}' would hide an input column of the POYO window view", nameof(outputColumnName));
        if (outputColumnName != OutputColumn)
            graph = OnnxRenaming.Rename(graph, new Dictionary<string, string> { [OutputColumn] = outputColumnName });
        return catalog.ApplyOnnxModel([outputColumnName], InputColumns.ToArray(), new MemoryStream(graph, writable: false));
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
