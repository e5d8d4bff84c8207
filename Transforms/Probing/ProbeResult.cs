namespace MLNeuro.Transforms;

/// <summary>The outcome of <see cref="Probe.Run"/>: pooled metrics over every held-out prediction, per-fold metrics, and bookkeeping.</summary>
public sealed class ProbeResult
{
    internal ProbeResult(ProbeOptions options, IReadOnlyList<string> classes, ProbeMetrics pooled, IReadOnlyList<ProbeFold> folds,
        int omittedUnlabeled, int omittedExcluded, int[] foldOfRow, int[] predictedClassOfRow)
    {
        Options = options;
        Classes = classes;
        Pooled = pooled;
        Folds = folds;
        OmittedUnlabeled = omittedUnlabeled;
        OmittedExcluded = omittedExcluded;
        FoldOfRow = Array.AsReadOnly(foldOfRow);
        PredictedClassOfRow = Array.AsReadOnly(predictedClassOfRow);
    }

    /// <summary>The options used.</summary>
    public ProbeOptions Options { get; }

    /// <summary>Class names in ordinal order (the confusion-matrix order).</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Metrics over the pooled predictions of all folds (each labelled unit predicted once, by the fold that held it out).</summary>
    public ProbeMetrics Pooled { get; }

    /// <summary>Per-fold results.</summary>
    public IReadOnlyList<ProbeFold> Folds { get; }

    /// <summary>Labelled units evaluated.</summary>
    public long UnitCount => Pooled.UnitCount;

    /// <summary>Units left out because their label was empty (null or blank).</summary>
    public int OmittedUnlabeled { get; }

    /// <summary>Units left out because their label is one of <see cref="ProbeOptions.ExcludeLabels"/>.</summary>
    public int OmittedExcluded { get; }

    /// <summary>Fold of each table row that held it out (-1 for rows left out, or in a fold not tested; see <see cref="ProbeOptions.TestGroups"/>).</summary>
    public IReadOnlyList<int> FoldOfRow { get; }

    /// <summary>Predicted class index (into <see cref="Classes"/>) of each table row (-1 for rows left out).</summary>
    public IReadOnlyList<int> PredictedClassOfRow { get; }
}
