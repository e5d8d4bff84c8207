namespace MLNeuro.Loaders.Import;

/// <summary>Progress of an import or generation: what stage it is in and how far along, for progress bars.</summary>
/// <param name="Stage">Human-readable stage, e.g. "reading spikes.csv" or "writing session s3".</param>
/// <param name="Done">Work done in this stage (sessions, rows or bytes, per the stage).</param>
/// <param name="Total">Total work of the stage, or 0 when unknown.</param>
public readonly record struct ImportProgress(string Stage, long Done, long Total);
