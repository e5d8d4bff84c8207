using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNeuro.Loaders.Views;

/// <summary>
/// What the views' cursors share: the active-column set, position bookkeeping, the getter checks ML.NET's own
/// cursors make (inactive column or wrong type -> <see cref="InvalidOperationException"/>), progress reports (one per
/// session entered, one every <see cref="ViewProgress.ReportEveryRows"/> rows and one at the end, each counting the rows
/// this cursor has produced) and cancellation (<see cref="OperationCanceledException"/> from <see cref="MoveNext"/>,
/// checked before every row). Subclasses move between rows and build typed getters.
/// </summary>
internal abstract class ViewCursor : DataViewRowCursor
{
    private readonly bool[] _active;
    private readonly ViewProgress _progress;
    private long _position = -1;
    private bool _done;
    private string _stage = "reading"; // replaced by the first session's stage before any row

    protected ViewCursor(DataViewSchema schema, IEnumerable<DataViewSchema.Column> columnsNeeded, ViewProgress progress)
    {
        Schema = schema;
        _progress = progress;
        _active = new bool[schema.Count];
        foreach (var column in columnsNeeded ?? Enumerable.Empty<DataViewSchema.Column>())
        {
            CheckColumn(column);
            _active[column.Index] = true;
        }
    }

    public sealed override DataViewSchema Schema { get; }

    public sealed override long Position => _position;

    // Rows come from one source in one order: a single batch.
    public sealed override long Batch => 0;

    public sealed override bool IsColumnActive(DataViewSchema.Column column)
    {
        CheckColumn(column);
        return _active[column.Index];
    }

    protected bool IsActive(int columnIndex) => _active[columnIndex];

    public sealed override bool MoveNext()
    {
        if (_done) return false;
        _progress.CancellationToken.ThrowIfCancellationRequested();
        if (Advance())
        {
            _position++;
            if ((_position + 1) % ViewProgress.ReportEveryRows == 0) _progress.Report(_stage, _position + 1);
            return true;
        }
        _done = true;
        Release();
        _progress.Report(ViewProgress.DoneStage, _position + 1);
        return false;
    }

    /// <summary>Subclasses call this on entering a session: reports it with the rows produced before it.</summary>
    protected void ReportSession(string sessionId)
    {
        _stage = ViewProgress.SessionStage(sessionId);
        _progress.Report(_stage, _position + 1);
    }

    /// <summary>Moves to the next row; false at the end.</summary>
    protected abstract bool Advance();

    /// <summary>Drops whatever session data the cursor holds.</summary>
    protected abstract void Release();

    /// <summary>The getter of an active column, typed as the column's raw type.</summary>
    protected abstract Delegate MakeGetter(int columnIndex);

    /// <summary>The id of the current row.</summary>
    protected abstract DataViewRowId CurrentId { get; }

    public sealed override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        CheckColumn(column);
        if (!_active[column.Index])
            throw new InvalidOperationException($"column '{column.Name}' is not active in this cursor; ask for it when creating the cursor");
        return MakeGetter(column.Index) as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"column '{column.Name}' holds {column.Type} ({column.Type.RawType.Name}), not {typeof(TValue).Name}");
    }

    public sealed override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) =>
    {
        EnsureRow();
        value = CurrentId;
    };

    /// <summary>Getters may only run while the cursor is on a row.</summary>
    protected void EnsureRow()
    {
        if (_position < 0 || _done)
            throw new InvalidOperationException("the cursor is not on a row: call MoveNext and check that it returned true");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_done)
        {
            _done = true;
            Release();
        }
        base.Dispose(disposing);
    }

    private void CheckColumn(DataViewSchema.Column column)
    {
        if ((uint)column.Index >= (uint)Schema.Count || Schema[column.Index].Name != column.Name)
            throw new ArgumentOutOfRangeException(nameof(column), $"column '{column.Name}' (index {column.Index}) does not belong to this view's schema");
    }

    /// <summary>Copies values into a variable-length vector, reusing the destination's buffer when it is large enough.</summary>
    protected static void Fill<T>(ref VBuffer<T> destination, ReadOnlySpan<T> values)
    {
        var editor = VBufferEditor.Create(ref destination, values.Length);
        values.CopyTo(editor.Values);
        destination = editor.Commit();
    }
}
