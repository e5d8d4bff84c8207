using Microsoft.ML;
using Microsoft.ML.Data;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Import;
using MLNeuro.Loaders.Views;
using MLNeuro.Transforms;

namespace MLNeuro.Estimators;

/// <summary>
/// One row per NuCLR evaluation pass of a dataset (a window, and a draw of its populations): the input of
/// <see cref="NuclrEmbeddingEstimator"/>. Windows are the tiling <see cref="NuclrEmbedder.Embed"/> scores
/// (non-overlapping windows of the artifact's <see cref="NuclrSamplingOptions.WindowSeconds"/> from each session's
/// start, or consecutive groups of PatchCount intervals in interval mode; a trailing remainder is skipped), and the
/// draws the populations <see cref="NuclrEmbedder.Embed"/> forms (one per window unless a training cap splits a
/// population, see <see cref="NuclrSamplingOptions.EmbedWithTrainingCap"/>). Create it
/// with <see cref="ModelDatasetViews.AsNuclrWindowView(NeuralDataset, ModelArtifact, IProgress{WorkProgress}, CancellationToken)"/>; turn the scored rows into
/// the per-unit table with <see cref="AverageEmbeddings"/>.
/// </summary>
/// <remarks>
/// <para>Columns: session_id, subject_id (Text), window_index (Int32, the window's position in its session),
/// unit_count (Int32, the session's units), counts (variable-length vector of Single: the window's
/// [unit_count, patches, binsPerPatch] spike counts flattened row-major, the <c>counts</c> input of the artifact's ONNX
/// graph), draw_index (Int32, the pass within the window) and unit_group (variable-length vector of Single, one value
/// per unit: the graph's <c>unit_group</c> input; units sharing a value g &gt;= 0 form one population, -1 leaves a unit
/// out of this pass). Rows follow the dataset's session order, windows in time order, draws within a window; sessions
/// without units give no rows (as in <see cref="NuclrEmbedder.Embed"/>).</para>
/// <para>Window positions depend only on each session's domain and intervals, so they are counted when the view is
/// created (<see cref="GetRowCount"/> is exact, and a session that cannot hold one window fails then, by name); spikes
/// are read one session at a time, and only by cursors that activate counts, which are binned one window at a time.
/// The view does not shuffle (<see cref="CanShuffle"/> is false): embedding averages every window anyway.</para>
/// </remarks>
/// <example><code>
/// var artifact = ModelArtifact.Read("nuclr.zip");
/// NuclrWindowView windows = NeuralDataset.Open("data/synth").AsNuclrWindowView(artifact);
/// ITransformer model = mlContext.Transforms.EmbedNeuronsWithNuclr(artifact).Fit(windows);
/// FeatureTable table = windows.AverageEmbeddings(model.Transform(windows));
/// </code></example>
public sealed class NuclrWindowView : IDataView
{
    internal const int SessionIdColumn = 0, SubjectIdColumn = 1, WindowIndexColumn = 2, UnitCountColumn = 3, CountsColumn = 4,
        DrawIndexColumn = 5, UnitGroupColumn = 6;

    /// <summary>Name of the column holding the pass's index within its window.</summary>
    public const string DrawIndexColumnName = "draw_index";

    /// <summary>Name of the column holding each unit's population in the pass (the ONNX graph's <c>unit_group</c> input).</summary>
    public const string UnitGroupColumnName = NuclrEncoder.GroupInputName;

    private readonly string _source;
    private readonly Dictionary<string, int> _sessionById;

    internal NuclrWindowView(NeuralDataset dataset, NuclrModelOptions options, string source,
        IProgress<WorkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        Options = NuclrEmbedder.CheckOptions(options);
        Dataset = dataset;
        _source = source;

        var sessions = new List<SessionWindows>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        long total = 0;
        for (int i = 0; i < dataset.Sessions.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entry = dataset.Sessions[i];
            // No spikes: the window positions need only the domain and the intervals, which are in memory.
            var recording = dataset.ReadRecording(entry.SessionId, RecordingParts.None);
            if (recording.Units.Count == 0) continue;
            int count = NuclrEmbedder.OpenSampler(recording, Options).EvaluationWindowStarts(recording).Length;
            if (count == 0) throw NuclrEmbedder.NoWindow(entry.SessionId, Options);
            var plan = new NuclrEmbeddingPlan(entry.SessionId, recording.Units, Options.Sampling);
            sessions.Add(new SessionWindows(entry, i, recording.Units, count, plan));
            counts[entry.SessionId] = count;
            total += (long)count * plan.Draws;
        }
        Sessions = sessions.ToArray();
        _sessionById = Enumerable.Range(0, Sessions.Length).ToDictionary(s => Sessions[s].Entry.SessionId, StringComparer.Ordinal);
        RowCount = total;
        WindowCountBySession = counts;
        Progress = new ViewProgress(progress, cancellationToken, RowCount);

        var builder = new DataViewSchema.Builder();
        builder.AddColumn(ViewColumnNames.SessionId, TextDataViewType.Instance);
        builder.AddColumn(ViewColumnNames.SubjectId, TextDataViewType.Instance);
        builder.AddColumn(ViewColumnNames.WindowIndex, NumberDataViewType.Int32);
        builder.AddColumn(ViewColumnNames.UnitCount, NumberDataViewType.Int32);
        builder.AddColumn(NuclrEmbeddingEstimator.Defaults.InputColumnName, new VectorDataViewType(NumberDataViewType.Single));
        builder.AddColumn(DrawIndexColumnName, NumberDataViewType.Int32);
        builder.AddColumn(UnitGroupColumnName, new VectorDataViewType(NumberDataViewType.Single));
        Schema = builder.ToSchema();
    }

    /// <summary>A session with units, its position in the dataset (row-id base), its units, its window count and its populations.</summary>
    internal sealed record SessionWindows(SessionEntry Entry, int DatasetIndex, UnitTable Units, int Count, NuclrEmbeddingPlan Plan)
    {
        /// <summary>Rows of the session: windows x draws.</summary>
        public int Rows => Count * Plan.Draws;
    }

    internal NeuralDataset Dataset { get; }

    internal SessionWindows[] Sessions { get; }

    internal long RowCount { get; }

    /// <summary>Where every cursor of the view reports progress and checks for cancellation.</summary>
    internal ViewProgress Progress { get; }

    /// <summary>The options that fix the tiling and the window shape (the artifact's, checked).</summary>
    /// <example><code>
    /// double seconds = windows.Options.Sampling.WindowSeconds;
    /// </code></example>
    public NuclrModelOptions Options { get; }

    /// <summary>Number of windows of every session with units, by session id.</summary>
    /// <example><code>
    /// foreach (var (session, count) in windows.WindowCountBySession) Console.WriteLine($"{session}: {count} windows");
    /// </code></example>
    public IReadOnlyDictionary<string, int> WindowCountBySession { get; }

    /// <summary>The columns listed in the class remarks.</summary>
    /// <example><code>
    /// DataViewSchema.Column counts = windows.Schema["counts"];   // variable-length vector of Single
    /// </code></example>
    public DataViewSchema Schema { get; }

    /// <summary>False: windows are binned one after another from each session's spikes.</summary>
    /// <example><code>
    /// bool shuffles = windows.CanShuffle;   // false
    /// </code></example>
    public bool CanShuffle => false;

    /// <summary>The number of rows (windows x draws), exact (counted when the view was created).</summary>
    /// <example><code>
    /// long rows = windows.GetRowCount()!.Value;
    /// </code></example>
    public long? GetRowCount() => RowCount;

    /// <summary>A cursor over the windows in session and time order; <paramref name="rand"/> is ignored (no shuffling).</summary>
    /// <example><code>
    /// using var cursor = windows.GetRowCursor(windows.Schema);
    /// </code></example>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new NuclrWindowCursor(this, columnsNeeded);

    /// <summary>A single cursor: parallel cursors would hold several sessions' spikes at once.</summary>
    /// <example><code>
    /// DataViewRowCursor[] cursors = windows.GetRowCursorSet(windows.Schema, n: 4);   // one cursor
    /// </code></example>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    /// <summary>
    /// Averages each unit's embedding over its session's windows: the scored rows of this view (the output of
    /// <see cref="NuclrEmbeddingEstimator"/>'s transformer) become the table <see cref="NuclrEmbedder.Embed"/> returns,
    /// one row per unit in session and unit order, with the standard label columns (unit_id, session_id, subject_id,
    /// brain_region, cell_type, unit metadata) and features <c>nuclr_000</c>... Sums are in double.
    /// </summary>
    /// <param name="scored">This view's rows with an embedding column: session_id (Text), window_index (Int32),
    /// <paramref name="embeddingColumnName"/> (vector of Single, [unit_count, dim] row-major), and draw_index (Int32) and
    /// unit_group (vector of Single) as the view wrote them (without them every row is draw 0 and every unit a member).
    /// Every row of this view must appear exactly once, in any order. Each unit is averaged over the rows in which it is
    /// a member (unit_group &gt;= 0); a unit that is a member of none gets zeros.</param>
    /// <param name="embeddingColumnName">The embedding column; default "embedding".</param>
    /// <param name="progress">Sessions done out of the total, reported as each session's last window arrives.</param>
    /// <param name="ct">Checked between rows.</param>
    /// <exception cref="ArgumentException">A column is missing or of the wrong type (the message names it).</exception>
    /// <exception cref="InvalidDataException">A row belongs to no session of this view, repeats a window, has an
    /// embedding of the wrong length, or a session's windows are incomplete (the message names the session).</exception>
    /// <example><code>
    /// FeatureTable table = windows.AverageEmbeddings(model.Transform(windows));
    /// table.Write("embeddings.parquet");   // then: mlneuro probe --table embeddings.parquet --label brain_region
    /// </code></example>
    public FeatureTable AverageEmbeddings(IDataView scored, string embeddingColumnName = NuclrEmbeddingEstimator.Defaults.OutputColumnName,
        IProgress<WorkProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scored);
        ArgumentException.ThrowIfNullOrWhiteSpace(embeddingColumnName);
        const string what = nameof(AverageEmbeddings);
        var schema = scored.Schema;
        SchemaChecks.Require(schema, ViewColumnNames.SessionId, TextDataViewType.Instance, what);
        SchemaChecks.Require(schema, ViewColumnNames.WindowIndex, NumberDataViewType.Int32, what);
        SchemaChecks.Require(schema, embeddingColumnName, new VectorDataViewType(NumberDataViewType.Single), what);
        var sessionColumn = schema[ViewColumnNames.SessionId];
        var windowColumn = schema[ViewColumnNames.WindowIndex];
        var embeddingColumn = schema[embeddingColumnName];
        var drawColumn = schema.GetColumnOrNull(DrawIndexColumnName);
        var groupColumn = schema.GetColumnOrNull(UnitGroupColumnName);
        if (drawColumn is { } dc) SchemaChecks.Require(schema, dc.Name, NumberDataViewType.Int32, what);
        if (groupColumn is { } gc) SchemaChecks.Require(schema, gc.Name, new VectorDataViewType(NumberDataViewType.Single), what);
        var active = new List<DataViewSchema.Column> { sessionColumn, windowColumn, embeddingColumn };
        if (drawColumn is { } d1) active.Add(d1);
        if (groupColumn is { } g1) active.Add(g1);

        int dim = Options.Encoder.Dim;
        var means = new WindowMean?[Sessions.Length];
        var results = new float[Sessions.Length][];
        var seen = new bool[Sessions.Length][];
        int done = 0;
        progress?.Report(new WorkProgress("embedding", 0, Sessions.Length));
        using (var cursor = scored.GetRowCursor(active))
        {
            var getSession = cursor.GetGetter<ReadOnlyMemory<char>>(sessionColumn);
            var getWindow = cursor.GetGetter<int>(windowColumn);
            var getEmbedding = cursor.GetGetter<VBuffer<float>>(embeddingColumn);
            var getDraw = drawColumn is { } d2 ? cursor.GetGetter<int>(d2) : null;
            var getGroups = groupColumn is { } g2 ? cursor.GetGetter<VBuffer<float>>(g2) : null;
            ReadOnlyMemory<char> sessionId = default;
            VBuffer<float> embedding = default;
            VBuffer<float> groups = default;
            int s = -1;
            while (cursor.MoveNext())
            {
                ct.ThrowIfCancellationRequested();
                getSession(ref sessionId);
                // Rows come session by session: look the id up only when it changes.
                if (s < 0 || !sessionId.Span.SequenceEqual(Sessions[s].Entry.SessionId))
                {
                    var id = sessionId.ToString();
                    if (!_sessionById.TryGetValue(id, out s))
                        throw new InvalidDataException($"{what}: row {cursor.Position} belongs to session '{id}', which has no windows in this view");
                }
                var session = Sessions[s];
                int window = 0;
                getWindow(ref window);
                if ((uint)window >= (uint)session.Count)
                    throw new InvalidDataException($"{what}: session '{session.Entry.SessionId}' has windows 0..{session.Count - 1}, but a row has window_index {window}");
                int draw = 0;
                getDraw?.Invoke(ref draw);
                if ((uint)draw >= (uint)session.Plan.Draws)
                    throw new InvalidDataException($"{what}: session '{session.Entry.SessionId}' has draws 0..{session.Plan.Draws - 1} per window, but a row has draw_index {draw}");
                seen[s] ??= new bool[session.Rows];
                int row = window * session.Plan.Draws + draw;
                if (seen[s][row])
                    throw new InvalidDataException($"{what}: window {window} (draw {draw}) of session '{session.Entry.SessionId}' appears twice");
                seen[s][row] = true;

                getEmbedding(ref embedding);
                var mean = means[s] ??= new WindowMean(session.Units.Count, dim);
                if (embedding.Length != mean.Length)
                    throw new InvalidDataException($"{what}: window {window} of session '{session.Entry.SessionId}' has {embedding.Length} embedding values, not {session.Units.Count} units x {dim} dims");
                ReadOnlySpan<float> members = default;
                if (getGroups is not null)
                {
                    getGroups(ref groups);
                    if (groups.Length != session.Units.Count)
                        throw new InvalidDataException($"{what}: window {window} of session '{session.Entry.SessionId}' has {groups.Length} unit groups, not {session.Units.Count}");
                    members = groups.IsDense ? groups.GetValues() : groups.DenseValues().ToArray();
                }
                mean.Add(embedding.IsDense ? embedding.GetValues() : embedding.DenseValues().ToArray(), members);
                if (mean.Windows == session.Rows)
                {
                    // Complete: keep the float means only, so rows in session order hold one session's sums at a time.
                    results[s] = mean.Mean();
                    means[s] = null;
                    progress?.Report(new WorkProgress("embedding", ++done, Sessions.Length));
                }
            }
        }

        var table = new NuclrEmbeddingTable(dim);
        for (int s = 0; s < Sessions.Length; s++)
        {
            var session = Sessions[s];
            if (results[s] is null)
            {
                int got = seen[s]?.Count(x => x) ?? 0;
                throw new InvalidDataException($"{what}: the scored data holds {got} of the {session.Rows} rows (windows x draws) of session '{session.Entry.SessionId}'; every row must be scored once");
            }
            table.AddSession(session.Entry, session.Units, results[s]);
        }
        return table.Build($"{_source} of {Path.GetFullPath(Dataset.Path)}");
    }
}
