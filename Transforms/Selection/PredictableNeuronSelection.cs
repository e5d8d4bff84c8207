using MLNeuro.Loaders;

namespace MLNeuro.Transforms;

/// <summary>
/// The outcome of <see cref="PredictableNeuronSelector.Fit"/>: per unit (session id, unit id) its skewness, excess
/// kurtosis and verdict, and the means to keep, drop or flag predictable units in any recording of those sessions.
/// Immutable.
/// </summary>
/// <example><code>
/// var selection = new PredictableNeuronSelector().Fit(trainRecordings);
/// Console.WriteLine($"{selection.PredictableCount} of {selection.Units.Count} units are predictable");
/// Recording finetune = selection.Apply(recording, SelectionAction.Drop);
/// </code></example>
public sealed class PredictableNeuronSelection
{
    /// <summary>Metadata column written by <see cref="SelectionAction.Flag"/>.</summary>
    public const string PredictableColumn = "predictable";

    private readonly UnitPredictability[] _units;
    private readonly Dictionary<(string, string), int> _index;

    internal PredictableNeuronSelection(PredictableNeuronOptions options, UnitPredictability[] units)
    {
        Options = options;
        _units = units;
        _index = new Dictionary<(string, string), int>(units.Length);
        for (int i = 0; i < units.Length; i++) _index[(units[i].SessionId, units[i].UnitId)] = i;
        PredictableCount = units.Count(u => u.IsPredictable);
        EligibleCount = units.Count(u => u.IsEligible);
    }

    /// <summary>The options the selection was fitted with.</summary>
    public PredictableNeuronOptions Options { get; }

    /// <summary>Every measured unit, in the order first met while fitting.</summary>
    public IReadOnlyList<UnitPredictability> Units => _units;

    /// <summary>Number of predictable units.</summary>
    public int PredictableCount { get; }

    /// <summary>Number of units not predictable (including the ineligible ones).</summary>
    public int UnpredictableCount => _units.Length - PredictableCount;

    /// <summary>Number of units whose statistics were defined and that had enough spikes.</summary>
    public int EligibleCount { get; }

    /// <summary>Looks up a unit; false when the unit was not in the fitted data.</summary>
    public bool TryGet(string sessionId, string unitId, out UnitPredictability unit)
    {
        bool found = _index.TryGetValue((sessionId, unitId), out int i);
        unit = found ? _units[i] : default;
        return found;
    }

    /// <summary>Whether a unit is predictable; a unit absent from the fitted data is not (nothing is known about it).</summary>
    public bool IsPredictable(string sessionId, string unitId) => TryGet(sessionId, unitId, out var u) && u.IsPredictable;

    /// <summary>
    /// Keeps the predictable units, keeps the others, or flags all of them (see <see cref="SelectionAction"/>). Units
    /// absent from the fitted data count as unpredictable. Keep and Drop re-index the unit table, spikes and traces
    /// together, preserving the original unit order; behaviour and intervals are shared unchanged.
    /// </summary>
    public Recording Apply(Recording recording, SelectionAction action)
    {
        ArgumentNullException.ThrowIfNull(recording);
        int unitCount = recording.Units.Count;
        var predictable = new bool[unitCount];
        for (int u = 0; u < unitCount; u++) predictable[u] = IsPredictable(recording.SessionId, recording.Units[u].UnitId);
        switch (action)
        {
            case SelectionAction.Keep:
                return RecordingSubset.KeepUnits(recording, predictable);
            case SelectionAction.Drop:
                for (int u = 0; u < unitCount; u++) predictable[u] = !predictable[u];
                return RecordingSubset.KeepUnits(recording, predictable);
            case SelectionAction.Flag:
                var units = new UnitInfo[unitCount];
                for (int u = 0; u < unitCount; u++)
                {
                    var unit = recording.Units[u];
                    var metadata = unit.Metadata is null
                        ? new Dictionary<string, string?>(1, StringComparer.Ordinal)
                        : new Dictionary<string, string?>(unit.Metadata, StringComparer.Ordinal);
                    metadata[PredictableColumn] = predictable[u] ? "true" : "false";
                    units[u] = unit with { Metadata = metadata };
                }
                return new Recording(recording.SessionId, recording.SubjectId, new UnitTable(units), recording.Spikes,
                    recording.StartSeconds, recording.EndSeconds, recording.Behavior, recording.Intervals, recording.Traces);
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, "unknown selection action");
        }
    }
}
