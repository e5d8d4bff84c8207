namespace MLNeuro.Loaders;

/// <summary>A unit as the dataset-wide units table holds it: its session, subject and index within the session.</summary>
/// <param name="SessionId">Session the unit was recorded in.</param>
/// <param name="SubjectId">Subject of that session.</param>
/// <param name="UnitIndex">Index in the session's units table (the value spikes carry).</param>
/// <param name="Unit">Id, labels and metadata.</param>
/// <param name="SpikeCount">Number of spikes of the unit.</param>
public sealed record DatasetUnit(string SessionId, string SubjectId, int UnitIndex, UnitInfo Unit, int SpikeCount);
