using MLNeuro.Loaders;
using MLNeuro.Transforms;

namespace MLNeuro.Transforms.Tests;

public sealed class ProbeTests
{
    /// <summary>
    /// Units of <paramref name="classes"/> classes in <paramref name="subjects"/> subjects; features are Gaussian blobs
    /// around per-class means <paramref name="separation"/> apart (0: pure noise, labels carry no signal).
    /// </summary>
    internal static FeatureTable Blobs(int subjects = 4, int classes = 3, int perClassPerSubject = 15, int dimension = 6,
        double separation = 6, int seed = 1, Func<int, int, int, string?>? label = null)
    {
        var random = new Random(seed);
        var means = new double[classes, dimension];
        for (int c = 0; c < classes; c++)
            for (int j = 0; j < dimension; j++) means[c, j] = separation * Gaussian(random);
        var features = new List<float>();
        var subject = new List<string?>();
        var session = new List<string?>();
        var cellType = new List<string?>();
        var unit = new List<string?>();
        for (int s = 0; s < subjects; s++)
            for (int c = 0; c < classes; c++)
                for (int i = 0; i < perClassPerSubject; i++)
                {
                    for (int j = 0; j < dimension; j++) features.Add((float)(means[c, j] + Gaussian(random)));
                    subject.Add($"mouse{s}");
                    session.Add($"mouse{s}-day{i % 2}");
                    cellType.Add(label is null ? $"type{c}" : label(s, c, i));
                    unit.Add($"u{unit.Count}");
                }
        return new FeatureTable(new Dictionary<string, string?[]>
        {
            ["unit_id"] = unit.ToArray(), ["session_id"] = session.ToArray(), ["subject_id"] = subject.ToArray(), ["cell_type"] = cellType.ToArray(),
        }, features.ToArray(), Enumerable.Range(0, dimension).Select(j => $"f{j}").ToArray(), "ProbeTests.Blobs");
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public void Separable_blobs_are_classified_almost_perfectly_leaving_one_subject_out()
    {
        var table = Blobs();
        var reports = new List<WorkProgress>();
        var result = Probe.Run(table, new ProbeOptions { Label = "cell_type", Group = "subject_id" }, new SynchronousProgress<WorkProgress>(reports.Add));
        Assert.Equal(new[] { "type0", "type1", "type2" }, result.Classes);
        Assert.Equal(4, result.Folds.Count);
        Assert.Equal(180, result.UnitCount);
        Assert.True(result.Pooled.BalancedAccuracy > 0.97, $"balanced accuracy {result.Pooled.BalancedAccuracy}");
        Assert.True(result.Pooled.MacroF1 > 0.97, $"macro F1 {result.Pooled.MacroF1}");
        Assert.Equal(1.0 / 3, result.Pooled.ChanceLevel, 12);
        Assert.Equal(new WorkProgress("folds", 4, 4), reports[^1]);
        Assert.All(result.Folds, f => Assert.Equal(45, f.Metrics.UnitCount));
    }

    [Fact]
    public void Sdca_trainer_also_separates_the_blobs()
    {
        var result = Probe.Run(Blobs(), new ProbeOptions { Trainer = ProbeTrainer.SdcaMaximumEntropy, Folds = 2 });
        Assert.True(result.Pooled.BalancedAccuracy > 0.95, $"balanced accuracy {result.Pooled.BalancedAccuracy}");
    }

    [Fact]
    public void Random_features_score_near_chance()
    {
        // 3 classes x 60 units: the standard error of balanced accuracy at chance is about 0.035; allow 3.5 of them.
        var result = Probe.Run(Blobs(perClassPerSubject: 15, separation: 0, seed: 5), new ProbeOptions());
        Assert.InRange(result.Pooled.BalancedAccuracy, 1.0 / 3 - 0.12, 1.0 / 3 + 0.12);
    }

    [Theory]
    [InlineData(null, "subject_id")]
    [InlineData(3, "subject_id")]
    [InlineData(4, "session_id")]
    public void Folds_never_share_a_group(int? folds, string group)
    {
        var table = Blobs(subjects: 6, perClassPerSubject: 4);
        var result = Probe.Run(table, new ProbeOptions { Group = group, Folds = folds, Seed = 3 });
        var groups = table.Column(group);
        var foldsOfGroup = Enumerable.Range(0, table.RowCount).GroupBy(r => groups[r]).ToDictionary(g => g.Key!, g => g.Select(r => result.FoldOfRow[r]).Distinct().ToArray());
        Assert.All(foldsOfGroup.Values, f => Assert.Single(f));
        Assert.Equal(folds ?? 6, result.Folds.Count);
        Assert.All(result.Folds, f => Assert.True(f.Metrics.UnitCount > 0));
        var held = result.Folds.SelectMany(f => f.TestGroups).ToArray();
        Assert.Equal(held.Length, held.Distinct().Count());
        Assert.Equal(foldsOfGroup.Count, held.Length);
        foreach (var fold in result.Folds)
            foreach (var g in fold.TestGroups) Assert.Equal(fold.Index, foldsOfGroup[g][0]);
    }

    [Fact]
    public void Grouped_k_fold_balances_fold_sizes_and_is_seeded()
    {
        var sizes = new[] { 10, 10, 10, 10, 10, 10 };
        var a = ProbeFolds.AssignGroups(sizes, 3, seed: 1);
        Assert.Equal(a, ProbeFolds.AssignGroups(sizes, 3, seed: 1));
        Assert.All(Enumerable.Range(0, 3), f => Assert.Equal(2, a.Count(x => x == f)));
        Assert.Equal(new[] { 0, 1, 2, 3 }, ProbeFolds.AssignGroups([5, 1, 1, 9], null, seed: 1));
    }

    [Fact]
    public void Label_fraction_keeps_the_stated_number_per_class_and_is_seeded()
    {
        var classOf = Enumerable.Range(0, 100).Select(i => i < 70 ? 0 : i < 97 ? 1 : 2).ToArray(); // 70 / 27 / 3
        var rows = Enumerable.Range(0, 100).ToArray();
        var kept = LabelSubsample.Keep(rows, classOf, 0.1, seed: 4, fold: 0);
        Assert.Equal(7, kept.Count(r => classOf[r] == 0));
        Assert.Equal(3, kept.Count(r => classOf[r] == 1)); // round(2.7)
        Assert.Equal(1, kept.Count(r => classOf[r] == 2)); // round(0.3) = 0, raised to the minimum of 1
        Assert.Equal(kept, LabelSubsample.Keep(rows, classOf, 0.1, seed: 4, fold: 0));
        Assert.NotEqual(kept, LabelSubsample.Keep(rows, classOf, 0.1, seed: 5, fold: 0));
        Assert.NotEqual(kept, LabelSubsample.Keep(rows, classOf, 0.1, seed: 4, fold: 1));
        Assert.Equal(rows, LabelSubsample.Keep(rows, classOf, 1.0, seed: 4, fold: 0));
    }

    [Fact]
    public void Label_fraction_reduces_the_fitted_training_units_of_each_fold()
    {
        var table = Blobs(); // 4 subjects x 3 classes x 15 units: a training fold holds 45 units per class
        var options = new ProbeOptions { LabelFraction = 0.2, Seed = 9 };
        var result = Probe.Run(table, options);
        Assert.All(result.Folds, f =>
        {
            Assert.Equal(135, f.TrainUnits);
            Assert.Equal(3 * 9, f.TrainLabelsUsed);
        });
        Assert.Equal(180, result.UnitCount); // test folds keep every unit
        Assert.Equal(result.PredictedClassOfRow, Probe.Run(table, options).PredictedClassOfRow);
        Assert.True(result.Pooled.BalancedAccuracy > 0.9, $"balanced accuracy {result.Pooled.BalancedAccuracy}");
    }

    [Fact]
    public void Metrics_match_a_hand_computed_confusion_matrix()
    {
        var m = ProbeMetrics.FromConfusion(["a", "b", "c"], new long[,] { { 8, 2, 0 }, { 1, 9, 0 }, { 0, 5, 5 } });
        Assert.Equal((0.8 + 0.9 + 0.5) / 3, m.BalancedAccuracy, 12);
        // F1 = 2 TP / (row sum + column sum): a 16/19, b 18/26, c 10/15.
        Assert.Equal((16.0 / 19 + 18.0 / 26 + 10.0 / 15) / 3, m.MacroF1, 12);
        Assert.Equal(new double?[] { 0.8, 0.9, 0.5 }, m.PerClassRecall);
        Assert.Equal(30, m.UnitCount);
        Assert.Equal(22.0 / 30, m.Accuracy, 12);
        Assert.Equal(1.0 / 3, m.ChanceLevel, 12);

        // A class absent from the truth and the predictions does not count in either average.
        var partial = ProbeMetrics.FromConfusion(["a", "b", "c"], new long[,] { { 3, 1, 0 }, { 0, 4, 0 }, { 0, 0, 0 } });
        Assert.Null(partial.PerClassRecall[2]);
        Assert.Equal((0.75 + 1.0) / 2, partial.BalancedAccuracy, 12);
        Assert.Equal((6.0 / 7 + 8.0 / 9) / 2, partial.MacroF1, 12);
    }

    [Fact]
    public void Empty_labels_are_left_out_and_counted()
    {
        var table = Blobs(label: (s, c, i) => i == 0 ? (c == 0 ? null : "") : $"type{c}");
        var result = Probe.Run(table, new ProbeOptions());
        Assert.Equal(12, result.OmittedUnlabeled);
        Assert.Equal(168, result.UnitCount);
        Assert.Equal(new[] { "type0", "type1", "type2" }, result.Classes);
        Assert.Equal(12, result.FoldOfRow.Count(f => f < 0));
    }

    [Fact]
    public void Excluded_labels_are_left_out_like_empty_ones_and_counted_apart()
    {
        // type2 is excluded; two type0 units per subject are "root", also excluded; one unit per subject has no label.
        var table = Blobs(label: (s, c, i) => i == 0 ? null : c == 0 && i < 3 ? "root" : $"type{c}");
        var result = Probe.Run(table, new ProbeOptions { ExcludeLabels = ["root", "type2"] });
        Assert.Equal(new[] { "type0", "type1" }, result.Classes);
        Assert.Equal(12, result.OmittedUnlabeled);
        Assert.Equal(4 * (2 + 14), result.OmittedExcluded);
        Assert.Equal(4 * (12 + 14), result.UnitCount);
        var labels = table.Column("cell_type");
        Assert.All(Enumerable.Range(0, table.RowCount), r => Assert.Equal(labels[r] is "type0" or "type1", result.FoldOfRow[r] >= 0));
        Assert.Equal(8, Probe.Run(table, new ProbeOptions { ExcludeLabels = ["absent", "root"] }).OmittedExcluded);
        Assert.Equal("ExcludeLabels", Assert.Throws<ArgumentException>(() => Probe.Run(table, new ProbeOptions { ExcludeLabels = [" "] })).ParamName);
    }

    [Fact]
    public void A_class_missing_from_training_is_still_predicted_and_scores_recall_zero_in_that_fold()
    {
        // "rare" exists only in mouse0, so the fold holding mouse0 out has never seen it.
        var table = Blobs(label: (s, c, i) => s == 0 && c == 2 && i < 3 ? "rare" : $"type{c}");
        var result = Probe.Run(table, new ProbeOptions());
        var fold0 = result.Folds.Single(f => f.TestGroups.Contains("mouse0"));
        Assert.Equal(new[] { "rare" }, fold0.ClassesMissingFromTraining);
        int rare = result.Classes.ToList().IndexOf("rare");
        Assert.Equal(0.0, fold0.Metrics.PerClassRecall[rare]);
        Assert.Equal(0.0, result.Pooled.PerClassRecall[rare]);
        Assert.All(result.Folds.Where(f => f != fold0), f => Assert.Empty(f.ClassesMissingFromTraining));
    }

    [Fact]
    public void Test_groups_restrict_the_folds_and_reproduce_the_full_runs_folds()
    {
        var table = Blobs(separation: 1.5);
        var full = Probe.Run(table, new ProbeOptions());
        var one = Probe.Run(table, new ProbeOptions { TestGroups = new[] { "mouse2" } });

        var fold = Assert.Single(one.Folds);
        var same = full.Folds.Single(f => f.TestGroups.SequenceEqual(new[] { "mouse2" }));
        Assert.Equal(same.Index, fold.Index);
        Assert.Equal(same.TrainUnits, fold.TrainUnits);
        Assert.Equal(same.Metrics.ConfusionMatrix(), fold.Metrics.ConfusionMatrix());
        Assert.Equal(fold.Metrics.ConfusionMatrix(), one.Pooled.ConfusionMatrix());
        var subjects = table.Column("subject_id");
        for (int r = 0; r < table.RowCount; r++)
        {
            bool tested = subjects[r] == "mouse2";
            Assert.Equal(tested ? fold.Index : -1, one.FoldOfRow[r]);
            Assert.Equal(tested ? full.PredictedClassOfRow[r] : -1, one.PredictedClassOfRow[r]);
        }

        Assert.Contains("'mouse9' not found", Assert.Throws<ArgumentException>(() => Probe.Run(table, new ProbeOptions { TestGroups = new[] { "mouse9" } })).Message);
    }

    [Fact]
    public void User_errors_are_argument_exceptions_with_clear_messages()
    {
        var table = Blobs(subjects: 2, perClassPerSubject: 3);
        Assert.Contains("no label column 'region'", Assert.Throws<ArgumentException>(() => Probe.Run(table, new ProbeOptions { Label = "region" })).Message);
        Assert.Contains("no group column 'animal'", Assert.Throws<ArgumentException>(() => Probe.Run(table, new ProbeOptions { Group = "animal" })).Message);

        var single = Blobs(subjects: 2, perClassPerSubject: 3, label: (s, c, i) => s == 0 && c == 0 && i == 0 ? "lonely" : $"type{c}");
        Assert.Contains("'lonely' of 'cell_type' has fewer than 2 units", Assert.Throws<ArgumentException>(() => Probe.Run(single, new ProbeOptions())).Message);

        var oneGroup = Blobs(subjects: 1, perClassPerSubject: 3);
        Assert.Contains("has one value ('mouse0')", Assert.Throws<ArgumentException>(() => Probe.Run(oneGroup, new ProbeOptions())).Message);

        Assert.Contains("need at least 3 groups", Assert.Throws<ArgumentException>(() => Probe.Run(table, new ProbeOptions { Folds = 3 })).Message);
        Assert.Contains("label fraction", Assert.Throws<ArgumentException>(() => Probe.Run(table, new ProbeOptions { LabelFraction = 0 })).Message);
        Assert.Contains("folds must be at least 2", Assert.Throws<ArgumentException>(() => Probe.Run(table, new ProbeOptions { Folds = 1 })).Message);
    }
}
