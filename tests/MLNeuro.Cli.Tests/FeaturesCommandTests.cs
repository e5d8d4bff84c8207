using System.Text.Json;
using MLNeuro.Loaders;
using MLNeuro.Transforms;

namespace MLNeuro.Cli.Tests;

public sealed class FeaturesCommandTests
{
    [Fact]
    public void Synth_then_features_then_probe_separates_cell_types_across_subjects()
    {
        using var tmp = new TempFolder();
        var data = tmp.Combine("synth");
        var table = tmp.Combine("features.parquet");
        var report = tmp.Combine("probe.json");
        var (exit, _, stderr) = CliRunner.Run("synth", "--out", data, "--subjects", "3", "--sessions-per-subject", "1", "--units", "32", "--seconds", "120", "--seed", "11");
        Assert.True(exit == 0, stderr);
        (exit, _, stderr) = CliRunner.Run("features", "--data", data, "--out", table);
        Assert.True(exit == 0, stderr);

        var features = FeatureTable.Read(table);
        Assert.Equal(96, features.RowCount);
        Assert.Equal(features.FeatureNames.Count, features.Dimension);
        Assert.Contains("isi_cv", features.FeatureNames);
        Assert.Equal(new[] { "unit_id", "session_id", "subject_id", "brain_region", "cell_type" }, features.LabelColumns.Take(5));
        Assert.All(features.Column("cell_type"), label => Assert.False(string.IsNullOrEmpty(label)));

        (exit, _, stderr) = CliRunner.Run("probe", "--table", table, "--label", "cell_type", "--group", "subject_id", "--json", report);
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        double balanced = json.RootElement.GetProperty("balanced_accuracy").GetDouble();
        // Four cell types (chance 0.25) with distinct spike statistics, tested on subjects the probe never saw.
        Assert.True(balanced > 0.7, $"balanced accuracy {balanced}");
        Assert.Equal(3, json.RootElement.GetProperty("folds").GetArrayLength());
    }

    [Fact]
    public void Intervals_option_computes_features_inside_trials_and_names_a_missing_kind()
    {
        using var tmp = new TempFolder();
        var data = tmp.Combine("synth");
        var whole = tmp.Combine("whole.parquet");
        var trials = tmp.Combine("trials.parquet");
        var (exit, _, stderr) = CliRunner.Run("synth", "--out", data, "--subjects", "2", "--sessions-per-subject", "1", "--units", "8", "--seconds", "60", "--seed", "4");
        Assert.True(exit == 0, stderr);
        (exit, _, stderr) = CliRunner.Run("features", "--data", data, "--out", whole);
        Assert.True(exit == 0, stderr);
        (exit, _, stderr) = CliRunner.Run("features", "--data", data, "--out", trials, "--intervals", "trial", "--threads", "1");
        Assert.True(exit == 0, stderr);
        Assert.Contains("within 'trial' intervals", stderr);

        var a = FeatureTable.Read(whole);
        var b = FeatureTable.Read(trials);
        Assert.Equal(a.FeatureNames, b.FeatureNames);
        Assert.Equal(a.Column("unit_id"), b.Column("unit_id"));
        Assert.Contains("within intervals of kind 'trial'", b.Source);
        // Rows are the library's interval features, session by session (the synthetic trials stop short of the end).
        var dataset = NeuralDataset.Open(data);
        var options = new NeuronFeatureOptions { IntervalKind = "trial" };
        int row = 0;
        foreach (var session in dataset.Sessions)
        {
            var expected = NeuronFeatures.ComputeAll(dataset.ReadRecording(session.SessionId, RecordingParts.Spikes), options);
            for (int u = 0; u < session.UnitCount; u++, row++)
                Assert.Equal(expected.AsSpan(u * b.Dimension, b.Dimension).ToArray(), b.Row(row).ToArray());
        }
        Assert.NotEqual(a.Row(0).ToArray(), b.Row(0).ToArray());

        var missing = tmp.Combine("missing.parquet");
        var (exitMissing, stdout, err) = CliRunner.Run("features", "--data", data, "--out", missing, "--intervals", "stimulus");
        Assert.Equal(1, exitMissing);
        Assert.Equal("", stdout);
        Assert.Contains("no intervals of kind 'stimulus'", err);
        Assert.Contains("session 'sub-01_ses-01'", err);
        Assert.False(File.Exists(missing));

        var (exitHelp, help, _) = CliRunner.Run("features", "--help");
        Assert.Equal(0, exitHelp);
        Assert.Contains("--intervals", help);
    }

    [Fact]
    public void Missing_dataset_is_one_line_and_writes_nothing()
    {
        using var tmp = new TempFolder();
        var (exit, _, stderr) = CliRunner.Run("features", "--data", tmp.Combine("none"), "--out", tmp.Combine("f.parquet"));
        Assert.Equal(1, exit);
        Assert.Contains("does not exist", stderr);
        Assert.False(File.Exists(tmp.Combine("f.parquet")));
    }
}
