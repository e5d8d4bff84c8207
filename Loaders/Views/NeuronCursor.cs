using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNeuro.Loaders.Views;

/// <summary>
/// Cursor of <see cref="NeuronView"/>. When spike_times is active it reads one session's spikes on entering the
/// session, regroups them by unit (one pass, so every unit's times are a contiguous slice) and drops them on leaving.
/// </summary>
internal sealed class NeuronCursor : ViewCursor
{
    private readonly NeuronView _view;
    private readonly Random? _random;
    private readonly int[] _sessionOrder;
    private readonly bool _needSpikes;
    private int _sessionStep = -1;
    private NeuronView.SessionRows? _session;
    private int[] _unitOrder = Array.Empty<int>();
    private int _unitStep;
    private DatasetUnit _unit = null!;
    private long _row;

    // The current session's spikes grouped by unit: unit u's times are _times[_offsets[u] .. _offsets[u + 1]).
    private double[] _times = Array.Empty<double>();
    private int[] _offsets = Array.Empty<int>();

    public NeuronCursor(NeuronView view, IEnumerable<DataViewSchema.Column> columnsNeeded, Random? random)
        : base(view.Schema, columnsNeeded, view.Progress)
    {
        _view = view;
        _random = random;
        _sessionOrder = RowOrder.Of(view.Sessions.Length, random);
        _needSpikes = view.SpikeTimesColumn >= 0 && IsActive(view.SpikeTimesColumn);
    }

    protected override DataViewRowId CurrentId => new((ulong)_row, 0);

    protected override bool Advance()
    {
        while (_session is null || ++_unitStep >= _unitOrder.Length)
        {
            if (++_sessionStep >= _sessionOrder.Length) return false;
            EnterSession(_view.Sessions[_sessionOrder[_sessionStep]]);
        }
        int i = _unitOrder[_unitStep];
        _unit = _session.Units[i];
        _row = _session.FirstRow + i;
        return true;
    }

    private void EnterSession(NeuronView.SessionRows session)
    {
        Release();
        ReportSession(session.Entry.SessionId);
        _session = session;
        _unitOrder = RowOrder.Of(session.Units.Length, _random);
        _unitStep = -1;
        if (_needSpikes && session.Units.Length > 0) LoadSpikes(session.Entry.SessionId, session.Units.Length);
    }

    private void LoadSpikes(string sessionId, int unitCount)
    {
        var spikes = _view.Dataset.ReadRecording(sessionId, RecordingParts.Spikes).Spikes;
        var times = spikes.Timestamps;
        var units = spikes.UnitIndices;
        _offsets = new int[unitCount + 1];
        foreach (var u in units) _offsets[u + 1]++;
        for (int u = 0; u < unitCount; u++) _offsets[u + 1] += _offsets[u];
        _times = new double[times.Length];
        var fill = _offsets[..^1];
        // Spikes are time-sorted, so each unit's slice comes out sorted too.
        for (int i = 0; i < times.Length; i++) _times[fill[units[i]]++] = times[i];
    }

    protected override void Release()
    {
        _times = Array.Empty<double>();
        _offsets = Array.Empty<int>();
    }

    protected override Delegate MakeGetter(int columnIndex)
    {
        switch (columnIndex)
        {
            case NeuronView.SessionIdColumn: return Text(() => _unit.SessionId);
            case NeuronView.SubjectIdColumn: return Text(() => _unit.SubjectId);
            case NeuronView.UnitIdColumn: return Text(() => _unit.Unit.UnitId);
            case NeuronView.BrainRegionColumn: return Text(() => _unit.Unit.BrainRegion);
            case NeuronView.CellTypeColumn: return Text(() => _unit.Unit.CellType);
            case NeuronView.UnitIndexColumn:
                return (ValueGetter<int>)((ref int value) =>
                {
                    EnsureRow();
                    value = _unit.UnitIndex;
                });
            case NeuronView.SpikeCountColumn:
                return (ValueGetter<int>)((ref int value) =>
                {
                    EnsureRow();
                    value = _unit.SpikeCount;
                });
            case NeuronView.DurationColumn:
                return (ValueGetter<double>)((ref double value) =>
                {
                    EnsureRow();
                    value = _session!.Entry.DurationSeconds;
                });
            case NeuronView.StartColumn:
                return (ValueGetter<double>)((ref double value) =>
                {
                    EnsureRow();
                    value = _session!.Entry.StartSeconds;
                });
            case NeuronView.EndColumn:
                return (ValueGetter<double>)((ref double value) =>
                {
                    EnsureRow();
                    value = _session!.Entry.EndSeconds;
                });
        }
        if (columnIndex == _view.SpikeTimesColumn)
            return (ValueGetter<VBuffer<double>>)((ref VBuffer<double> value) =>
            {
                EnsureRow();
                int u = _unit.UnitIndex;
                Fill(ref value, _times.AsSpan(_offsets[u], _offsets[u + 1] - _offsets[u]));
            });
        var metadataColumn = _view.MetadataColumns[columnIndex - NeuronView.FirstMetadataColumn];
        return Text(() => _unit.Unit.GetMetadata(metadataColumn));
    }

    private ValueGetter<ReadOnlyMemory<char>> Text(Func<string?> read) => (ref ReadOnlyMemory<char> value) =>
    {
        EnsureRow();
        value = (read() ?? "").AsMemory();
    };
}
