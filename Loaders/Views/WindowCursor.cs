using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNeuro.Loaders.Views;

/// <summary>
/// Cursor of <see cref="WindowView"/>. On entering a session it draws the session's windows (from the session's own
/// seed, so shuffling the row order never changes which windows exist) and, when a spike column is active, reads that
/// session's spikes; each window's spikes are then a binary-searched slice of them.
/// </summary>
internal sealed class WindowCursor : ViewCursor
{
    private readonly WindowView _view;
    private readonly Random? _random;
    private readonly int[] _sessionOrder;
    private readonly bool _needSpikes;
    private int _sessionStep = -1;
    private WindowView.SessionWindows? _session;
    private IReadOnlyList<TimeWindow> _windows = Array.Empty<TimeWindow>();
    private int[] _windowOrder = Array.Empty<int>();
    private int _windowStep;
    private int _windowIndex;
    private TimeWindow _window;
    private SpikeTrain? _sessionSpikes;
    private SpikeTrain? _windowSpikes;

    public WindowCursor(WindowView view, IEnumerable<DataViewSchema.Column> columnsNeeded, Random? random)
        : base(view.Schema, columnsNeeded, view.Progress)
    {
        _view = view;
        _random = random;
        _sessionOrder = RowOrder.Of(view.Sessions.Length, random);
        _needSpikes = IsActive(WindowView.SpikeCountColumn)
            || (view.Schema.Count > WindowView.SpikeUnitsColumn && (IsActive(WindowView.SpikeTimesColumn) || IsActive(WindowView.SpikeUnitsColumn)));
    }

    protected override DataViewRowId CurrentId => new((ulong)_windowIndex, (ulong)_session!.DatasetIndex);

    protected override bool Advance()
    {
        while (_session is null || ++_windowStep >= _windowOrder.Length)
        {
            if (++_sessionStep >= _sessionOrder.Length) return false;
            EnterSession(_view.Sessions[_sessionOrder[_sessionStep]]);
        }
        _windowIndex = _windowOrder[_windowStep];
        _window = _windows[_windowIndex];
        _windowSpikes = _sessionSpikes?.Slice(_window.Start, _window.End);
        return true;
    }

    private void EnterSession(WindowView.SessionWindows session)
    {
        Release();
        ReportSession(session.Entry.SessionId);
        _session = session;
        _windows = _view.WindowsOf(session);
        _windowOrder = RowOrder.Of(_windows.Count, _random);
        _windowStep = -1;
        if (_needSpikes) _sessionSpikes = _view.Dataset.ReadRecording(session.Entry.SessionId, RecordingParts.Spikes).Spikes;
    }

    protected override void Release()
    {
        _sessionSpikes = null;
        _windowSpikes = null;
    }

    protected override Delegate MakeGetter(int columnIndex) => columnIndex switch
    {
        WindowView.SessionIdColumn => Text(() => _session!.Entry.SessionId),
        WindowView.SubjectIdColumn => Text(() => _session!.Entry.SubjectId),
        WindowView.WindowIndexColumn => (ValueGetter<int>)((ref int value) =>
        {
            EnsureRow();
            value = _windowIndex;
        }),
        WindowView.StartColumn => (ValueGetter<double>)((ref double value) =>
        {
            EnsureRow();
            value = _window.Start;
        }),
        WindowView.EndColumn => (ValueGetter<double>)((ref double value) =>
        {
            EnsureRow();
            value = _window.End;
        }),
        WindowView.SpikeCountColumn => (ValueGetter<int>)((ref int value) =>
        {
            EnsureRow();
            value = _windowSpikes!.Count;
        }),
        WindowView.UnitCountColumn => (ValueGetter<int>)((ref int value) =>
        {
            EnsureRow();
            value = _session!.Entry.UnitCount;
        }),
        WindowView.SpikeTimesColumn => (ValueGetter<VBuffer<double>>)((ref VBuffer<double> value) =>
        {
            EnsureRow();
            var times = _windowSpikes!.Timestamps;
            var editor = VBufferEditor.Create(ref value, times.Length);
            for (int i = 0; i < times.Length; i++) editor.Values[i] = times[i] - _window.Start;
            value = editor.Commit();
        }),
        WindowView.SpikeUnitsColumn => (ValueGetter<VBuffer<int>>)((ref VBuffer<int> value) =>
        {
            EnsureRow();
            Fill(ref value, _windowSpikes!.UnitIndices);
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(columnIndex)),
    };

    private ValueGetter<ReadOnlyMemory<char>> Text(Func<string> read) => (ref ReadOnlyMemory<char> value) =>
    {
        EnsureRow();
        value = read().AsMemory();
    };
}
