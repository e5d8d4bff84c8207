using Microsoft.ML;
using Microsoft.ML.Data;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Estimators;

/// <summary>
/// Cursor of <see cref="NuclrWindowView"/>. When counts or unit_group is active it reads a session's spikes on entering
/// the session and bins its windows one at a time with the same sampler <see cref="NuclrEmbedder.Embed"/> uses, and
/// forms each draw's groups with the same <see cref="NuclrEmbeddingPlan"/>; otherwise it only counts rows and never
/// touches the spike files.
/// </summary>
internal sealed class NuclrWindowCursor : ViewCursor
{
    private readonly NuclrWindowView _view;
    private readonly bool _needCounts;
    private int _sessionStep = -1;
    private NuclrWindowView.SessionWindows? _session;
    private int _windowIndex;
    private int _draw;
    private IEnumerator<float[]>? _windows;
    private float[]? _counts;
    private float[]? _groups;

    public NuclrWindowCursor(NuclrWindowView view, IEnumerable<DataViewSchema.Column> columnsNeeded)
        : base(view.Schema, columnsNeeded, view.Progress)
    {
        _view = view;
        // The groups depend on which units spike, so they need the counts too.
        _needCounts = IsActive(NuclrWindowView.CountsColumn) || IsActive(NuclrWindowView.UnitGroupColumn);
    }

    protected override DataViewRowId CurrentId => new((ulong)(_windowIndex * _session!.Plan.Draws + _draw), (ulong)_session.DatasetIndex);

    protected override bool Advance()
    {
        if (_session is not null && _windowIndex >= 0 && _draw + 1 < _session.Plan.Draws)
        {
            _draw++;
            _groups = null;
            return true;
        }
        while (_session is null || _windowIndex + 1 >= _session.Count)
        {
            if (++_sessionStep >= _view.Sessions.Length) return false;
            EnterSession(_view.Sessions[_sessionStep]);
        }
        _windowIndex++;
        _draw = 0;
        _groups = null;
        if (_needCounts)
        {
            // The sampler refills one buffer per window; the getter copies it out.
            if (!_windows!.MoveNext())
                throw new InvalidOperationException($"session '{_session.Entry.SessionId}' yielded {_windowIndex} windows, but the view counted {_session.Count}");
            _counts = _windows.Current;
        }
        return true;
    }

    private void EnterSession(NuclrWindowView.SessionWindows session)
    {
        Release();
        ReportSession(session.Entry.SessionId);
        _session = session;
        _windowIndex = -1;
        if (!_needCounts) return;
        var recording = _view.Dataset.ReadRecording(session.Entry.SessionId, RecordingParts.Spikes);
        _windows = NuclrEmbedder.OpenSampler(recording, _view.Options).EvaluationWindowCounts(recording).GetEnumerator();
    }

    protected override void Release()
    {
        _windows?.Dispose();
        _windows = null;
        _counts = null;
        _groups = null;
    }

    protected override Delegate MakeGetter(int columnIndex) => columnIndex switch
    {
        NuclrWindowView.SessionIdColumn => Text(() => _session!.Entry.SessionId),
        NuclrWindowView.SubjectIdColumn => Text(() => _session!.Entry.SubjectId),
        NuclrWindowView.WindowIndexColumn => (ValueGetter<int>)((ref int value) =>
        {
            EnsureRow();
            value = _windowIndex;
        }),
        NuclrWindowView.UnitCountColumn => (ValueGetter<int>)((ref int value) =>
        {
            EnsureRow();
            value = _session!.Units.Count;
        }),
        NuclrWindowView.CountsColumn => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
        {
            EnsureRow();
            Fill(ref value, _counts);
        }),
        NuclrWindowView.DrawIndexColumn => (ValueGetter<int>)((ref int value) =>
        {
            EnsureRow();
            value = _draw;
        }),
        NuclrWindowView.UnitGroupColumn => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
        {
            EnsureRow();
            _groups ??= _session!.Plan.Groups(_counts, _windowIndex, _draw);
            Fill(ref value, _groups);
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(columnIndex)),
    };

    private ValueGetter<ReadOnlyMemory<char>> Text(Func<string> read) => (ref ReadOnlyMemory<char> value) =>
    {
        EnsureRow();
        value = read().AsMemory();
    };
}
