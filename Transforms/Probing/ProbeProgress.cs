namespace MLNeuro.Transforms;

/// <summary>Progress of a probe run: folds fitted so far out of the total.</summary>
/// <param name="FoldsDone">Folds fitted and predicted.</param>
/// <param name="FoldsTotal">Number of folds.</param>
public readonly record struct ProbeProgress(int FoldsDone, int FoldsTotal);
