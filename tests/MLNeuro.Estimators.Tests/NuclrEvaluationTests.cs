using MLNeuro.Loaders;
using MLNeuro.Loaders.Synthetic;
using MLNeuro.Transforms;
using static MLNeuro.Estimators.Tests.TorchTestHelpers;

namespace MLNeuro.Estimators.Tests;

/// <summary>
/// The evaluation protocol on a tiny dataset (3 subjects x 8 units, a few pretraining steps): which runs it makes, what
/// each held out, the shape of the report, and that the baseline rows are the plain probe's numbers.
/// </summary>
public sealed class NuclrEvaluationTests
{
    private static readonly SyntheticOptions Synth = new() { Subjects = 3, SessionsPerSubject = 1, UnitsPerSession = 8, DurationSeconds = 20, Seed = 2 };

    private static NuclrEvaluationOptions Options(string label = "cell_type") => new()
    {
        Label = label,
        Model = NuclrTestArtifacts.TinyOptions,
        Training = new TrainingOptions { TotalSteps = 3, WarmupSteps = 1, LearningRate = 1e-3, Seed = 4 },
        LabelFractions = new[] { 0.5, 1.0 },
        LabelSeeds = 2,
        TransductiveFolds = 2,
    };

    [Fact]
    public void Protocol_makes_the_expected_runs_and_a_complete_report()
    {
        UseOneThread();
        using var tmp = new TempFolder();
        var path = tmp.Combine("synth");
        SyntheticDataset.Write(Synth, path);
        var dataset = NeuralDataset.Open(path);
        var reports = new List<NuclrEvaluationProgress>();

        var report = NuclrEvaluation.Run(dataset, Options(), new SynchronousProgress<NuclrEvaluationProgress>(reports.Add));

        var subjects = new[] { "sub-01", "sub-02", "sub-03" };
        Assert.Equal(subjects, report.Groups);
        // 1 transductive + 3 zero-shot + 3 x (3 - 2) scaling runs (one subject each).
        Assert.Equal(7, report.Pretrainings.Count);
        Assert.Equal(new[] { "transductive", "zero-shot", "zero-shot", "zero-shot", "scaling", "scaling", "scaling" }, report.Pretrainings.Select(r => r.Purpose));
        Assert.Equal(subjects, report.Pretrainings[0].TrainedOn);
        foreach (var run in report.Pretrainings.Skip(1))
        {
            Assert.DoesNotContain(run.HeldOut, run.TrainedOn);
            Assert.Equal(run.Purpose == "scaling" ? 1 : 2, run.TrainedOn.Count);
            Assert.True(double.IsFinite(run.FinalLoss));
        }
        Assert.Equal(subjects, report.Pretrainings.Skip(1).Take(3).Select(r => r.HeldOut));

        foreach (var method in new[] { NuclrEvaluation.Nuclr, NuclrEvaluation.Features })
            foreach (var setting in new[] { NuclrEvaluation.Transductive, NuclrEvaluation.ZeroShot })
            {
                var score = report.Score(method, setting);
                Assert.NotNull(score);
                Assert.Equal(24, score.Metrics.UnitCount); // every unit is held out exactly once
                Assert.InRange(score.Metrics.BalancedAccuracy, 0, 1);
            }
        Assert.Equal(3, report.Score(NuclrEvaluation.Nuclr, NuclrEvaluation.ZeroShot)!.FoldBalancedAccuracies.Count);

        // The baseline's zero-shot row is the plain leave-one-subject-out probe of the feature table.
        var plain = Probe.Run(report.Features, new ProbeOptions { Label = "cell_type", Group = "subject_id" });
        Assert.Equal(plain.Pooled.ConfusionMatrix(), report.Score(NuclrEvaluation.Features, NuclrEvaluation.ZeroShot)!.Metrics.ConfusionMatrix());

        Assert.Equal(4, report.LabelEfficiency.Count);
        Assert.All(report.LabelEfficiency, p => Assert.Equal(p.Fraction < 1 ? 2 : 1, p.Samples));
        var full = report.LabelEfficiency.Single(p => p.Method == NuclrEvaluation.Features && p.Fraction == 1);
        Assert.Equal(plain.Pooled.BalancedAccuracy, full.Mean, 12);

        Assert.Equal(new[] { 1, 2 }, report.Scaling.Select(p => p.PretrainingGroups));
        Assert.Equal(report.Score(NuclrEvaluation.Nuclr, NuclrEvaluation.ZeroShot)!.Metrics.BalancedAccuracy, report.Scaling[^1].BalancedAccuracy);

        Assert.Equal(24, report.TransductiveEmbeddings.RowCount);
        Assert.Equal(NuclrEncoderOptions.Tiny.Dim, report.TransductiveEmbeddings.Dimension);
        Assert.Contains(reports, r => r.Training is not null);
        Assert.Equal(7, reports[^1].PretrainingsDone);
    }

    [Fact]
    public void Unknown_label_fails_before_any_pretraining()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("synth");
        SyntheticDataset.Write(new SyntheticOptions { Subjects = 2, SessionsPerSubject = 1, UnitsPerSession = 8, DurationSeconds = 20, Seed = 2 }, path);
        var reports = new List<NuclrEvaluationProgress>();
        var e = Assert.Throws<ArgumentException>(() => NuclrEvaluation.Run(NeuralDataset.Open(path), Options("mood"), new SynchronousProgress<NuclrEvaluationProgress>(reports.Add)));
        Assert.Contains("'mood'", e.Message);
        Assert.DoesNotContain(reports, r => r.Training is not null);

        Assert.Contains("subject_id or session_id", Assert.Throws<ArgumentException>(() =>
            NuclrEvaluation.Run(NeuralDataset.Open(path), Options() with { Group = "brain_region" })).Message);
    }
}
