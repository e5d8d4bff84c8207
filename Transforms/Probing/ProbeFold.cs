namespace MLNeuro.Transforms;

/// <summary>One cross-validation fold of a probe run.</summary>
/// <param name="Index">0-based fold index.</param>
/// <param name="TestGroups">Group values held out in this fold.</param>
/// <param name="TrainUnits">Labelled units in the training groups.</param>
/// <param name="TrainLabelsUsed">Training units actually fitted (fewer than <paramref name="TrainUnits"/> under a label fraction below 1).</param>
/// <param name="ClassesMissingFromTraining">Classes with no training unit in this fold: still predictable in principle, in practice scored with recall 0.</param>
/// <param name="Metrics">Metrics on this fold's held-out units.</param>
public sealed record ProbeFold(int Index, IReadOnlyList<string> TestGroups, int TrainUnits, int TrainLabelsUsed,
    IReadOnlyList<string> ClassesMissingFromTraining, ProbeMetrics Metrics);
