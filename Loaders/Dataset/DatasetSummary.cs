using System.Text.Json;
using System.Text.Json.Nodes;

namespace MLNeuro.Loaders;

/// <summary>
/// Counts that describe a dataset (what <c>mlneuro info</c> prints), computed from dataset.json and units.parquet
/// only: no spike file is opened.
/// </summary>
/// <param name="Sessions">Number of sessions.</param>
/// <param name="Subjects">Number of distinct subjects.</param>
/// <param name="Units">Number of units.</param>
/// <param name="Spikes">Number of spikes.</param>
/// <param name="DurationSeconds">Summed duration of the sessions' domains.</param>
/// <param name="BehaviorChannels">Distinct behaviour channel names, in first-seen order.</param>
/// <param name="IntervalKinds">Interval kind -> number of intervals.</param>
/// <param name="CellTypes">Cell-type label -> number of units (units without one are not counted).</param>
/// <param name="BrainRegions">Brain-region label -> number of units (units without one are not counted).</param>
public sealed record DatasetSummary(int Sessions, int Subjects, int Units, long Spikes, double DurationSeconds,
    IReadOnlyList<string> BehaviorChannels, IReadOnlyDictionary<string, int> IntervalKinds,
    IReadOnlyDictionary<string, int> CellTypes, IReadOnlyDictionary<string, int> BrainRegions)
{
    /// <summary>Summarises an opened dataset.</summary>
    public static DatasetSummary Of(NeuralDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var sessions = dataset.Sessions;
        return new DatasetSummary(
            sessions.Count,
            sessions.Select(s => s.SubjectId).Distinct(StringComparer.Ordinal).Count(),
            dataset.Units.Count,
            dataset.SpikeCount,
            sessions.Sum(s => s.DurationSeconds),
            sessions.SelectMany(s => s.BehaviorChannels).Distinct(StringComparer.Ordinal).ToArray(),
            CountBy(sessions.SelectMany(s => dataset.IntervalsOf(s.SessionId)).Select(i => i.Kind)),
            CountBy(dataset.Units.Select(u => u.Unit.CellType)),
            CountBy(dataset.Units.Select(u => u.Unit.BrainRegion)));
    }

    /// <summary>
    /// The summary as one JSON object (what <c>mlneuro info --json</c> prints): path, format version, the counts,
    /// behaviour channels, label counts, one entry per session and the dataset's provenance.
    /// </summary>
    /// <param name="dataset">The dataset this summary was made of (for its path, sessions and provenance).</param>
    public string ToJson(NeuralDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var s = this;
        var node = new JsonObject
        {
            ["path"] = Path.GetFullPath(dataset.Path),
            ["format_version"] = dataset.Manifest.FormatVersion,
            ["sessions"] = s.Sessions,
            ["subjects"] = s.Subjects,
            ["units"] = s.Units,
            ["spikes"] = s.Spikes,
            ["duration_s"] = s.DurationSeconds,
            ["behavior_channels"] = new JsonArray(s.BehaviorChannels.Select(c => (JsonNode)c!).ToArray()),
            ["interval_kinds"] = ToObject(s.IntervalKinds),
            ["cell_types"] = ToObject(s.CellTypes),
            ["brain_regions"] = ToObject(s.BrainRegions),
            ["session_list"] = new JsonArray(dataset.Sessions.Select(e => (JsonNode)new JsonObject
            {
                ["session_id"] = e.SessionId,
                ["subject_id"] = e.SubjectId,
                ["units"] = e.UnitCount,
                ["spikes"] = e.SpikeCount,
                ["start_s"] = e.StartSeconds,
                ["end_s"] = e.EndSeconds,
            }).ToArray()),
            ["provenance"] = ToObject(dataset.Manifest.Provenance),
        };
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    private static JsonObject ToObject<T>(IReadOnlyDictionary<string, T> map)
    {
        var o = new JsonObject();
        foreach (var (k, v) in map) o[k] = JsonValue.Create(v);
        return o;
    }

    private static IReadOnlyDictionary<string, int> CountBy(IEnumerable<string?> labels) =>
        labels.Where(l => !string.IsNullOrEmpty(l)).GroupBy(l => l!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
}
