using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using MLNeuro.Loaders;

namespace MLNeuro.Transforms;

/// <summary>
/// Linear probing of per-unit features under grouped cross-validation, the way the neuron-identity papers evaluate
/// (NuCLR: standardise, class-balanced logistic regression, balanced accuracy and macro F1, leave animals out).
/// </summary>
/// <remarks>
/// Per fold: features are standardised with the training fold's mean and standard deviation only
/// (<c>NormalizeMeanVariance</c> with <c>fixZero: false</c>, fitted on the training units); each training unit is
/// weighted by the inverse frequency of its class in the fitted training units; the trainer fits and every held-out
/// unit is predicted. Metrics pool the held-out predictions of all folds. Units with an empty label are left out
/// (counted in <see cref="ProbeResult.OmittedUnlabeled"/>), and so are units whose label is in
/// <see cref="ProbeOptions.ExcludeLabels"/> (counted in <see cref="ProbeResult.OmittedExcluded"/>). When a test fold
/// holds a class that no training unit of that fold has (all its units sit in the held-out groups), the fold is still
/// predicted: the model cannot output that class in practice, so it scores recall 0 there, and the fold lists it in
/// <see cref="ProbeFold.ClassesMissingFromTraining"/>.
/// </remarks>
/// <example><code>
/// var table = FeatureTable.Read("features.parquet");
/// var result = Probe.Run(table, new ProbeOptions { Label = "cell_type", Group = "subject_id" });
/// Console.WriteLine($"balanced accuracy {result.Pooled.BalancedAccuracy:F3} (chance {result.Pooled.ChanceLevel:F3})");
/// </code></example>
public static class Probe
{
    /// <summary>
    /// Runs the probe. Throws <see cref="ArgumentException"/> with a message for the user when a column is unknown,
    /// a class has fewer than 2 units, the group column has a single value (or fewer values than folds), or a
    /// labelled unit has no group.
    /// </summary>
    public static ProbeResult Run(FeatureTable table, ProbeOptions options, IProgress<WorkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var labels = ColumnOf(table, options.Label, "label");
        var groups = ColumnOf(table, options.Group, "group");

        var excluded = options.ExcludeLabels.ToHashSet(StringComparer.Ordinal);
        var labelled = Enumerable.Range(0, table.RowCount).Where(r => !string.IsNullOrWhiteSpace(labels[r])).ToArray();
        var used = labelled.Where(r => !excluded.Contains(labels[r]!)).ToArray();
        int omitted = table.RowCount - labelled.Length, omittedExcluded = labelled.Length - used.Length;
        int withoutGroup = used.Count(r => string.IsNullOrWhiteSpace(groups[r]));
        if (withoutGroup > 0)
            throw new ArgumentException($"{withoutGroup} labelled units have no value in the group column '{options.Group}'; fill it or group by another column");

        var classes = used.Select(r => labels[r]!).Distinct().Order(StringComparer.Ordinal).ToArray();
        var classIndex = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var classOf = new int[table.RowCount];
        foreach (var r in used) classOf[r] = classIndex[labels[r]!];
        var classCounts = new int[classes.Length];
        foreach (var r in used) classCounts[classOf[r]]++;
        if (classes.Length < 2)
            throw new ArgumentException($"the label column '{options.Label}' has {(classes.Length == 0 ? "no values" : $"a single class ('{classes[0]}')")}; a probe needs at least 2 classes");
        var small = classes.Where((_, c) => classCounts[c] < 2).ToArray();
        if (small.Length > 0)
            throw new ArgumentException($"class{(small.Length > 1 ? "es" : "")} {string.Join(", ", small.Select(s => $"'{s}'"))} of '{options.Label}' ha{(small.Length > 1 ? "ve" : "s")} fewer than 2 units; drop or merge {(small.Length > 1 ? "them" : "it")} before probing");

        var groupNames = used.Select(r => groups[r]!).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (groupNames.Length < 2)
            throw new ArgumentException($"the group column '{options.Group}' has one value ('{groupNames[0]}'); grouped cross-validation needs at least 2 groups (try another group column)");
        if (options.Folds > groupNames.Length)
            throw new ArgumentException($"{options.Folds} folds need at least {options.Folds} groups, but '{options.Group}' has {groupNames.Length}");
        var groupIndex = groupNames.Select((g, i) => (g, i)).ToDictionary(p => p.g, p => p.i, StringComparer.Ordinal);
        var groupSizes = new int[groupNames.Length];
        foreach (var r in used) groupSizes[groupIndex[groups[r]!]]++;
        var foldOfGroup = ProbeFolds.AssignGroups(groupSizes, options.Folds, options.Seed);
        int foldCount = options.Folds ?? groupNames.Length;

        var foldOfRow = Enumerable.Repeat(-1, table.RowCount).ToArray();
        foreach (var r in used) foldOfRow[r] = foldOfGroup[groupIndex[groups[r]!]];
        var predictedOfRow = Enumerable.Repeat(-1, table.RowCount).ToArray();
        var pooled = new long[classes.Length, classes.Length];
        var folds = new List<ProbeFold>(foldCount);
        var ml = new MLContext(options.Seed);
        progress?.Report(new WorkProgress("folds", 0, foldCount));
        var testedGroups = options.TestGroups is null ? null : new HashSet<string>(options.TestGroups, StringComparer.Ordinal);
        if (testedGroups?.Except(groupNames).ToArray() is { Length: > 0 } unknownGroups)
            throw new ArgumentException($"test group{(unknownGroups.Length > 1 ? "s" : "")} {string.Join(", ", unknownGroups.Select(g => $"'{g}'"))} not found among the labelled units' values of '{options.Group}'");
        for (int f = 0; f < foldCount; f++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (testedGroups is not null && !groupNames.Where((_, g) => foldOfGroup[g] == f).Any(testedGroups.Contains))
            {
                foreach (var r in used)
                    if (foldOfRow[r] == f) foldOfRow[r] = -1;
                continue;
            }
            var test = used.Where(r => foldOfRow[r] == f).ToArray();
            var train = used.Where(r => foldOfRow[r] != f).ToArray();
            var fitted = LabelSubsample.Keep(train, classOf, options.LabelFraction, options.Seed, f);
            var predicted = FitAndPredict(ml, table, options, classes.Length, classOf, fitted, test);
            var truth = new int[test.Length];
            for (int i = 0; i < test.Length; i++)
            {
                truth[i] = classOf[test[i]];
                predictedOfRow[test[i]] = predicted[i];
                pooled[truth[i], predicted[i]]++;
            }
            var trainedClasses = fitted.Select(r => classOf[r]).ToHashSet();
            folds.Add(new ProbeFold(f,
                groupNames.Where((_, g) => foldOfGroup[g] == f).ToArray(),
                train.Length, fitted.Length,
                test.Select(r => classOf[r]).Distinct().Where(c => !trainedClasses.Contains(c)).Order().Select(c => classes[c]).ToArray(),
                ProbeMetrics.FromPredictions(classes, truth, predicted)));
            progress?.Report(new WorkProgress("folds", f + 1, foldCount));
        }
        return new ProbeResult(options, classes, ProbeMetrics.FromConfusion(classes, pooled), folds, omitted, omittedExcluded, foldOfRow, predictedOfRow);
    }

    private static IReadOnlyList<string?> ColumnOf(FeatureTable table, string name, string role) =>
        table.HasColumn(name)
            ? table.Column(name)
            : throw new ArgumentException($"the feature table has no {role} column '{name}' (columns: {string.Join(", ", table.LabelColumns)})");

    private static int[] FitAndPredict(MLContext ml, FeatureTable table, ProbeOptions options, int classCount, int[] classOf, int[] train, int[] test)
    {
        var weights = ProbeData.BalancingWeights(train, classOf, classCount);
        var trainView = ProbeData.Build(ml, table.Features, table.Dimension, classCount, train, classOf, weights);
        var testView = ProbeData.Build(ml, table.Features, table.Dimension, classCount, test, classOf, weightOfClass: null);
        // fixZero: false subtracts the mean as well as dividing by the standard deviation (the default only scales).
        var pipeline = ml.Transforms.NormalizeMeanVariance(ProbeData.Features, fixZero: false).Append(Trainer(ml, options, train.Length));
        var model = pipeline.Fit(trainView);
        var keys = model.Transform(testView).GetColumn<uint>("PredictedLabel").ToArray();
        return Array.ConvertAll(keys, k => (int)k - 1);
    }

    private static IEstimator<ITransformer> Trainer(MLContext ml, ProbeOptions options, int trainCount) => options.Trainer switch
    {
        ProbeTrainer.SdcaMaximumEntropy => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = ProbeData.Label,
            FeatureColumnName = ProbeData.Features,
            ExampleWeightColumnName = ProbeData.Weight,
            // SDCA's L2 multiplies a mean loss, L-BFGS's a summed one (balancing weights sum to n): same penalty.
            L2Regularization = options.L2Regularization / trainCount,
            L1Regularization = 0,
            NumberOfThreads = 1, // single-threaded SDCA is reproducible for a given seed
        }),
        _ => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = ProbeData.Label,
            FeatureColumnName = ProbeData.Features,
            ExampleWeightColumnName = ProbeData.Weight,
            L2Regularization = options.L2Regularization,
            L1Regularization = 0,
            NumberOfThreads = 1,
        }),
    };
}
