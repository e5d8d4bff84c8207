namespace MLNeuro.Loaders;

/// <summary>One unit (a sorted neuron or a calcium ROI) of a recording, with its labels and free-form metadata.</summary>
/// <param name="UnitId">Identifier, unique within its session (e.g. "tt3_c14", "n62", "17").</param>
/// <param name="BrainRegion">Anatomical label (e.g. "CA1", "hippocampus_right"), or null when unknown.</param>
/// <param name="CellType">Cell-type label (e.g. "fast_spiking"), or null when unknown.</param>
/// <param name="Metadata">Other per-unit columns (e.g. tetrode, depth, region_group); values may be null.</param>
public sealed record UnitInfo(string UnitId, string? BrainRegion = null, string? CellType = null,
    IReadOnlyDictionary<string, string?>? Metadata = null)
{
    /// <summary>Value of a metadata column, or null when the unit has none.</summary>
    public string? GetMetadata(string column) =>
        Metadata is not null && Metadata.TryGetValue(column, out var value) ? value : null;
}
