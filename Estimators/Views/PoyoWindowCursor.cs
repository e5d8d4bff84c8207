using Microsoft.ML;
using Microsoft.ML.Data;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Estimators;

/// <summary>
/// Cursor of <see cref="PoyoWindowView"/>. When a token or query column is active it reads a session's spikes and
/// behaviour on entering the session and tokenizes its windows one at a time; otherwise it only walks the window
/// starts counted by the view and never touches the spike files.
/// </summary>
internal sealed class PoyoWindowCursor : ViewCursor
{
    private readonly PoyoWindowView _view;
    private readonly bool _needTokens;
    private readonly Vocabulary _units;
    private readonly Vocabulary _sessions;
    private readonly PoyoBatchBuilder _builder;
    private int _sessionStep = -1;
    private PoyoWindowView.SessionWindows? _session;
    private PoyoSession? _poyoSession;
    private int _windowIndex;
    private PoyoWindowRow? _row;

    public PoyoWindowCursor(PoyoWindowView view, IEnumerable<DataViewSchema.Column> columnsNeeded)
        : base(view.Schema, columnsNeeded, view.Progress)
    {
        _view = view;
        _needTokens = Enumerable.Range(PoyoWindowView.FirstInputColumn, PoyoWindowView.InputColumns.Count).Any(IsActive);
        _units = new Vocabulary(view.State.Units);
        _sessions = new Vocabulary(view.State.Sessions);
        _builder = new PoyoBatchBuilder(view.State.Options);
    }

    protected override DataViewRowId CurrentId => new((ulong)_windowIndex, (ulong)_session!.DatasetIndex);

    protected override bool Advance()
    {
        while (_session is null || _windowIndex + 1 >= _session.Starts.Length)
        {
            if (++_sessionStep >= _view.Sessions.Length) return false;
            EnterSession(_view.Sessions[_sessionStep]);
        }
        _windowIndex++;
        if (_needTokens)
        {
            var options = _view.State.Options;
            double start = _session.Starts[_windowIndex];
            var queries = PoyoWindowView.QueryTimes(_poyoSession!.Recording, start, options.WindowSeconds, _view.ViewOptions.QueryRateHz);
            _row = PoyoWindowView.WindowRow(_builder, _poyoSession, start, queries);
        }
        return true;
    }

    private void EnterSession(PoyoWindowView.SessionWindows session)
    {
        Release();
        ReportSession(session.SessionId);
        _session = session;
        _windowIndex = -1;
        if (!_needTokens) return;
        var recording = _view.Dataset.ReadRecording(session.SessionId, RecordingParts.Spikes | RecordingParts.Behavior | RecordingParts.Traces);
        _poyoSession = new PoyoSession(recording, _sessions.IndexOf(session.SessionId, "session"), PoyoSession.RowsOf(recording, _units), null,
            _view.State.Options.Channels);
    }

    protected override void Release()
    {
        _poyoSession = null;
        _row = null;
    }

    protected override Delegate MakeGetter(int columnIndex) => columnIndex switch
    {
        PoyoWindowView.SessionIdColumn => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) =>
        {
            EnsureRow();
            value = _session!.SessionId.AsMemory();
        }),
        PoyoWindowView.WindowStartColumn => (ValueGetter<double>)((ref double value) =>
        {
            EnsureRow();
            value = _session!.Starts[_windowIndex];
        }),
        PoyoWindowView.FirstInputColumn => Vector(() => _row!.UnitIndex),
        PoyoWindowView.FirstInputColumn + 1 => Vector(() => _row!.TokenType),
        PoyoWindowView.FirstInputColumn + 2 => Vector(() => _row!.TokenValue),
        PoyoWindowView.FirstInputColumn + 3 => Vector(() => _row!.TokenTimes),
        PoyoWindowView.FirstInputColumn + 4 => Vector(() => _row!.SessionIndex),
        PoyoWindowView.FirstInputColumn + 5 => Vector(() => _row!.QueryTimes),
        _ => throw new ArgumentOutOfRangeException(nameof(columnIndex)),
    };

    private ValueGetter<VBuffer<T>> Vector<T>(Func<T[]> read) => (ref VBuffer<T> value) =>
    {
        EnsureRow();
        Fill(ref value, read());
    };
}
