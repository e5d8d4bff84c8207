using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNeuro.Loaders.Views;

/// <summary>
/// One row per window cut from a dataset's sessions (see <see cref="DatasetViews.AsWindowView"/>). Window positions
/// depend only on each session's domain and intervals, so they are counted up front from the small tables
/// (<see cref="GetRowCount"/> is exact) while spikes are read one session at a time, and only by cursors that activate
/// spike_count, spike_times or spike_units. Sessions where no window fits are listed in
/// <see cref="SessionsWithoutWindows"/>.
/// </summary>
/// <remarks>
/// Columns: session_id, subject_id (Text), window_index (Int32), start_s, end_s (Double), spike_count, unit_count (Int32) and,
/// with <see cref="WindowViewOptions.IncludeSpikes"/>, spike_times (variable-length vector of Double, seconds from the
/// window start) and spike_units (variable-length vector of Int32, unit indices). Rows follow the dataset's session
/// order, windows in sampler order within a session; a shuffling cursor permutes sessions and the windows within each.
/// </remarks>
public sealed class WindowView : IDataView
{
    internal const int SessionIdColumn = 0, SubjectIdColumn = 1, WindowIndexColumn = 2, StartColumn = 3, EndColumn = 4,
        SpikeCountColumn = 5, UnitCountColumn = 6, SpikeTimesColumn = 7, SpikeUnitsColumn = 8;

    internal WindowView(NeuralDataset dataset, WindowViewOptions options, IProgress<WorkProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        Sampler = new WindowSampler(options.WindowSeconds, options.Mode, options.WindowsPerSession, options.StrideSeconds);
        if (options.IntervalKind is not null && string.IsNullOrWhiteSpace(options.IntervalKind))
            throw new ArgumentException("IntervalKind is blank; use null for the whole session domain or a kind such as \"trial\"", nameof(options));
        Dataset = dataset;
        IntervalKind = options.IntervalKind;
        Seed = options.Seed;
        var selected = SelectSessions(dataset, options.Sessions);

        var sessions = new List<SessionWindows>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var without = new List<string>();
        long total = 0;
        foreach (int index in selected)
        {
            var entry = dataset.Sessions[index];
            var regions = WindowSampler.EligibleRegions(entry.StartSeconds, entry.EndSeconds, dataset.IntervalsOf(entry.SessionId), IntervalKind);
            int count = Sampler.Count(regions);
            counts[entry.SessionId] = count;
            if (count == 0) without.Add(entry.SessionId);
            else sessions.Add(new SessionWindows(entry, index, regions, count));
            total += count;
        }
        if (total == 0) throw NoWindowAnywhere(dataset, selected);
        Sessions = sessions.ToArray();
        RowCount = total;
        Progress = new ViewProgress(progress, cancellationToken, RowCount);
        WindowCountBySession = counts;
        SessionsWithoutWindows = without;

        var builder = new DataViewSchema.Builder();
        builder.AddColumn(ViewColumnNames.SessionId, TextDataViewType.Instance);
        builder.AddColumn(ViewColumnNames.SubjectId, TextDataViewType.Instance);
        builder.AddColumn(ViewColumnNames.WindowIndex, NumberDataViewType.Int32);
        builder.AddColumn(ViewColumnNames.StartSeconds, NumberDataViewType.Double);
        builder.AddColumn(ViewColumnNames.EndSeconds, NumberDataViewType.Double);
        builder.AddColumn(ViewColumnNames.SpikeCount, NumberDataViewType.Int32);
        builder.AddColumn(ViewColumnNames.UnitCount, NumberDataViewType.Int32);
        if (options.IncludeSpikes)
        {
            builder.AddColumn(ViewColumnNames.SpikeTimes, new VectorDataViewType(NumberDataViewType.Double));
            builder.AddColumn(ViewColumnNames.SpikeUnits, new VectorDataViewType(NumberDataViewType.Int32));
        }
        Schema = builder.ToSchema();
    }

    /// <summary>A selected session that yields windows, its position in the dataset (seed and row-id base) and its regions.</summary>
    internal sealed record SessionWindows(SessionEntry Entry, int DatasetIndex, IReadOnlyList<TimeWindow> Regions, int Count);

    internal NeuralDataset Dataset { get; }

    internal WindowSampler Sampler { get; }

    internal string? IntervalKind { get; }

    internal int Seed { get; }

    internal SessionWindows[] Sessions { get; }

    internal long RowCount { get; }

    /// <summary>Where every cursor of the view reports progress and checks for cancellation.</summary>
    internal ViewProgress Progress { get; }

    /// <summary>Number of windows of every selected session, including sessions with none.</summary>
    public IReadOnlyDictionary<string, int> WindowCountBySession { get; }

    /// <summary>Selected sessions where no window fits (e.g. every trial is shorter than the window); empty when all have windows.</summary>
    public IReadOnlyList<string> SessionsWithoutWindows { get; }

    /// <inheritdoc />
    public DataViewSchema Schema { get; }

    /// <summary>True: shuffling permutes the session order and the windows within each session, so memory stays one session.</summary>
    public bool CanShuffle => true;

    /// <inheritdoc />
    public long? GetRowCount() => RowCount;

    /// <inheritdoc />
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new WindowCursor(this, columnsNeeded, rand);

    /// <summary>Returns a single cursor: rows are produced session by session, and parallel cursors would hold several sessions at once.</summary>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    /// <summary>The windows of one selected session, exactly as the cursors produce them (window_index = position in the list).</summary>
    internal IReadOnlyList<TimeWindow> WindowsOf(SessionWindows session) =>
        Sampler.Sample(session.Regions, Sampler.Mode == WindowMode.Random ? new Random(SessionSeed.Derive(Seed, session.DatasetIndex)) : null);

    private static List<int> SelectSessions(NeuralDataset dataset, IReadOnlyList<string>? filter)
    {
        var all = Enumerable.Range(0, dataset.Sessions.Count).ToList();
        if (filter is null) return all;
        if (filter.Count == 0)
            throw new ArgumentException("Sessions is an empty list; use null to take every session", nameof(filter));
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        var known = dataset.Sessions.Select(s => s.SessionId).ToHashSet(StringComparer.Ordinal);
        foreach (var id in filter)
        {
            if (id is null || !known.Contains(id))
                throw new ArgumentException($"Sessions names '{id}', which is not a session of dataset '{dataset.Path}' (sessions: {string.Join(", ", dataset.Sessions.Take(10).Select(s => s.SessionId))}{(dataset.Sessions.Count > 10 ? ", ..." : "")})", "Sessions");
            wanted.Add(id);
        }
        return all.Where(i => wanted.Contains(dataset.Sessions[i].SessionId)).ToList();
    }

    private ArgumentException NoWindowAnywhere(NeuralDataset dataset, List<int> selected)
    {
        var where = IntervalKind is null ? "session domain" : $"'{IntervalKind}' interval";
        var details = selected.Take(10).Select(i =>
        {
            var entry = dataset.Sessions[i];
            var regions = WindowSampler.EligibleRegions(entry.StartSeconds, entry.EndSeconds, dataset.IntervalsOf(entry.SessionId), IntervalKind);
            return regions.Count == 0
                ? $"session '{entry.SessionId}' has no {where}"
                : $"session '{entry.SessionId}': longest {where} is {regions.Max(r => r.DurationSeconds)} s";
        });
        return new ArgumentException(
            $"WindowSeconds = {Sampler.WindowSeconds} s is longer than every {where} of the selected sessions, so no session yields a window " +
            $"({string.Join("; ", details)}{(selected.Count > 10 ? "; ..." : "")}); shorten WindowSeconds or choose another IntervalKind",
            "WindowSeconds");
    }
}
