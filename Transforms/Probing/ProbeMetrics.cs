namespace MLNeuro.Transforms;

/// <summary>
/// Classification metrics from a confusion matrix (rows = true class, columns = predicted class, classes in the
/// probe's sorted order). Averages run over the classes that occur in the truth (for macro F1: in the truth or the
/// predictions), as scikit-learn does, so a fold without some class is not charged for it.
/// </summary>
/// <example><code>
/// var m = ProbeMetrics.FromConfusion(["a", "b"], new long[,] { { 8, 2 }, { 1, 9 } });
/// // m.BalancedAccuracy = (0.8 + 0.9) / 2 = 0.85
/// </code></example>
public sealed class ProbeMetrics
{
    private readonly long[,] _confusion;

    private ProbeMetrics(IReadOnlyList<string> classes, long[,] confusion)
    {
        _confusion = confusion;
        Classes = classes;
        int k = classes.Count;
        var recall = new double?[k];
        var f1 = new double?[k];
        for (int c = 0; c < k; c++)
        {
            long truth = 0, predicted = 0;
            for (int j = 0; j < k; j++) { truth += confusion[c, j]; predicted += confusion[j, c]; }
            long hit = confusion[c, c];
            UnitCount += truth;
            if (truth > 0) recall[c] = hit / (double)truth;
            if (truth > 0 || predicted > 0) f1[c] = 2.0 * hit / (truth + predicted); // = 2PR / (P + R)
        }
        PerClassRecall = recall;
        PerClassF1 = f1;
        var present = recall.Where(r => r is not null).Select(r => r!.Value).ToArray();
        BalancedAccuracy = present.Length == 0 ? double.NaN : present.Average();
        var scored = f1.Where(v => v is not null).Select(v => v!.Value).ToArray();
        MacroF1 = scored.Length == 0 ? double.NaN : scored.Average();
        ChanceLevel = present.Length == 0 ? double.NaN : 1.0 / present.Length;
        long correct = 0;
        for (int c = 0; c < k; c++) correct += confusion[c, c];
        Accuracy = UnitCount == 0 ? double.NaN : correct / (double)UnitCount;
    }

    /// <summary>Class names, in confusion-matrix order.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Count of units of true class <paramref name="truth"/> predicted as <paramref name="predicted"/>.</summary>
    public long Confusion(int truth, int predicted) => _confusion[truth, predicted];

    /// <summary>A copy of the confusion matrix, rows = truth, columns = predicted.</summary>
    public long[,] ConfusionMatrix() => (long[,])_confusion.Clone();

    /// <summary>Recall of each class; null for a class absent from the truth.</summary>
    public IReadOnlyList<double?> PerClassRecall { get; }

    /// <summary>F1 of each class; null for a class absent from both truth and predictions.</summary>
    public IReadOnlyList<double?> PerClassF1 { get; }

    /// <summary>Mean per-class recall over classes present in the truth.</summary>
    public double BalancedAccuracy { get; }

    /// <summary>Mean per-class F1 over classes present in the truth or the predictions.</summary>
    public double MacroF1 { get; }

    /// <summary>Plain accuracy (fraction correct); misleading with unbalanced classes, reported for reference.</summary>
    public double Accuracy { get; }

    /// <summary>Balanced accuracy of guessing: 1 / number of classes present in the truth.</summary>
    public double ChanceLevel { get; }

    /// <summary>Number of units scored.</summary>
    public long UnitCount { get; }

    /// <summary>Metrics of a confusion matrix (rows = truth, columns = predicted).</summary>
    public static ProbeMetrics FromConfusion(IReadOnlyList<string> classes, long[,] confusion)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(confusion);
        if (confusion.GetLength(0) != classes.Count || confusion.GetLength(1) != classes.Count)
            throw new ArgumentException($"confusion matrix is {confusion.GetLength(0)} x {confusion.GetLength(1)} but there are {classes.Count} classes", nameof(confusion));
        foreach (var v in confusion) if (v < 0) throw new ArgumentException("confusion counts must be >= 0", nameof(confusion));
        return new ProbeMetrics(classes.ToArray(), (long[,])confusion.Clone());
    }

    /// <summary>Metrics of paired true and predicted class indices.</summary>
    public static ProbeMetrics FromPredictions(IReadOnlyList<string> classes, ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (truth.Length != predicted.Length) throw new ArgumentException($"{truth.Length} true labels but {predicted.Length} predictions", nameof(predicted));
        var confusion = new long[classes.Count, classes.Count];
        for (int i = 0; i < truth.Length; i++) confusion[truth[i], predicted[i]]++;
        return new ProbeMetrics(classes.ToArray(), confusion);
    }
}
