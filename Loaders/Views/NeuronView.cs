using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNeuro.Loaders.Views;

/// <summary>
/// One row per unit of a dataset: ids, labels, spike count, session duration, one Text column per unit-metadata column
/// and, when asked, the unit's spike times. Rows follow the dataset's session order, units by index within a session.
/// Shuffling permutes the session order and the units within each session, so a shuffled cursor still reads one
/// session's spikes at a time.
/// </summary>
internal sealed class NeuronView : IDataView
{
    public const int SessionIdColumn = 0, SubjectIdColumn = 1, UnitIndexColumn = 2, UnitIdColumn = 3,
        BrainRegionColumn = 4, CellTypeColumn = 5, SpikeCountColumn = 6, DurationColumn = 7, StartColumn = 8, EndColumn = 9, FirstMetadataColumn = 10;

    public NeuronView(NeuralDataset dataset, NeuronViewOptions options, IProgress<WorkProgress>? progress, CancellationToken cancellationToken)
    {
        Dataset = dataset;
        var bySession = dataset.Units.GroupBy(u => u.SessionId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(u => u.UnitIndex).ToArray(), StringComparer.Ordinal);
        Sessions = new SessionRows[dataset.Sessions.Count];
        long first = 0;
        for (int s = 0; s < Sessions.Length; s++)
        {
            var entry = dataset.Sessions[s];
            var units = bySession.TryGetValue(entry.SessionId, out var list) ? list : Array.Empty<DatasetUnit>();
            Sessions[s] = new SessionRows(entry, units, first);
            first += units.Length;
        }
        RowCount = first;
        Progress = new ViewProgress(progress, cancellationToken, RowCount);
        MetadataColumns = UnitMetadataColumns.Of(dataset);

        var builder = new DataViewSchema.Builder();
        builder.AddColumn(ViewColumnNames.SessionId, TextDataViewType.Instance);
        builder.AddColumn(ViewColumnNames.SubjectId, TextDataViewType.Instance);
        builder.AddColumn(ViewColumnNames.UnitIndex, NumberDataViewType.Int32);
        builder.AddColumn(ViewColumnNames.UnitId, TextDataViewType.Instance);
        builder.AddColumn(ViewColumnNames.BrainRegion, TextDataViewType.Instance);
        builder.AddColumn(ViewColumnNames.CellType, TextDataViewType.Instance);
        builder.AddColumn(ViewColumnNames.SpikeCount, NumberDataViewType.Int32);
        builder.AddColumn(ViewColumnNames.DurationSeconds, NumberDataViewType.Double);
        builder.AddColumn(ViewColumnNames.StartSeconds, NumberDataViewType.Double);
        builder.AddColumn(ViewColumnNames.EndSeconds, NumberDataViewType.Double);
        var own = new HashSet<string>(StringComparer.Ordinal)
        {
            ViewColumnNames.SessionId, ViewColumnNames.SubjectId, ViewColumnNames.UnitIndex, ViewColumnNames.UnitId, ViewColumnNames.BrainRegion,
            ViewColumnNames.CellType, ViewColumnNames.SpikeCount, ViewColumnNames.DurationSeconds, ViewColumnNames.StartSeconds,
            ViewColumnNames.EndSeconds, ViewColumnNames.SpikeTimes,
        };
        // A metadata column named like one of ours would hide it (ML.NET resolves names to the last column): rename it.
        foreach (var name in MetadataColumns)
            builder.AddColumn(own.Contains(name) ? ViewColumnNames.MetadataPrefix + name : name, TextDataViewType.Instance);
        SpikeTimesColumn = -1;
        if (options.IncludeSpikeTimes)
        {
            SpikeTimesColumn = FirstMetadataColumn + MetadataColumns.Count;
            builder.AddColumn(ViewColumnNames.SpikeTimes, new VectorDataViewType(NumberDataViewType.Double));
        }
        Schema = builder.ToSchema();
    }

    /// <summary>A session's units and the row number of its first unit in stored order (the base of row ids).</summary>
    public sealed record SessionRows(SessionEntry Entry, DatasetUnit[] Units, long FirstRow);

    public NeuralDataset Dataset { get; }

    public SessionRows[] Sessions { get; }

    public long RowCount { get; }

    /// <summary>Where every cursor of the view reports progress and checks for cancellation.</summary>
    public ViewProgress Progress { get; }

    public IReadOnlyList<string> MetadataColumns { get; }

    /// <summary>Index of spike_times in the schema, or -1 when the view has no such column.</summary>
    public int SpikeTimesColumn { get; }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => true;

    public long? GetRowCount() => RowCount;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new NeuronCursor(this, columnsNeeded, rand);

    // One cursor: rows are produced session by session, and splitting would mean reading sessions in parallel,
    // multiplying the memory the view promises to bound.
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };
}
