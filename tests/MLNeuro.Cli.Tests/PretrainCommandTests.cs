using MLNeuro.Estimators;

namespace MLNeuro.Cli.Tests;

public sealed class PretrainCommandTests
{
    [Fact]
    public void Synth_then_pretrain_tiny_writes_a_nuclr_artifact()
    {
        using var tmp = new TempFolder();
        var data = tmp.Combine("synth");
        var model = tmp.Combine("model.zip");
        var (exit, _, stderr) = CliRunner.Run("synth", "--out", data, "--subjects", "2", "--sessions-per-subject", "1", "--units", "8", "--seconds", "40", "--seed", "1");
        Assert.True(exit == 0, stderr);
        var curve = tmp.Combine("curve");
        (exit, _, stderr) = CliRunner.Run("pretrain", "nuclr", "--data", data, "--out", model, "--config", "tiny", "--steps", "10", "--batch", "2", "--threads", "1",
            "--exclude-subjects", "sub-02", "--learning-curve", curve);
        Assert.True(exit == 0, stderr);
        Assert.True(File.Exists(model));
        // The learning curve: every step's loss (NuCLR has no labels to validate on), and both plots.
        var points = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(curve, "learning-curve.json")))!;
        Assert.Equal(10, points["loss"]!.AsArray().Count);
        Assert.Empty(points["validation"]!.AsArray());
        Assert.True(File.Exists(Path.Combine(curve, "learning-curve.png")));
        Assert.True(File.Exists(Path.Combine(curve, "learning-curve-loss.png")));
        Assert.False(File.Exists(model + ".checkpoint"));
        Assert.Contains("wrote", stderr);
        var artifact = ModelArtifact.Read(model);
        Assert.Equal(NuclrModelOptions.ModelKind, artifact.Manifest.ModelKind);
        Assert.NotNull(artifact.OnnxModel);
    }

    [Fact]
    public void Data_recorded_only_inside_trials_get_a_note_suggesting_intervals_trial()
    {
        using var tmp = new TempFolder();
        // Two units firing every 5 ms inside three 2 s trials of a 20 s session, silent between them.
        var spikes = new System.Text.StringBuilder("unit_id,timestamp\n");
        var trials = new System.Text.StringBuilder("start,stop,kind\n");
        foreach (double start in new[] { 1.0, 8.0, 15.0 })
        {
            trials.Append(FormattableString.Invariant($"{start},{start + 2},trial\n"));
            for (double t = start; t < start + 2; t += 0.005) spikes.Append(FormattableString.Invariant($"{(t * 200 % 2 < 1 ? "a" : "b")},{t:F4}\n"));
        }
        spikes.Append("a,19.99\n");   // the domain ends at the last spike
        File.WriteAllText(tmp.Combine("units.csv"), "unit_id\na\nb\n");
        File.WriteAllText(tmp.Combine("spikes.csv"), spikes.ToString());
        File.WriteAllText(tmp.Combine("intervals.csv"), trials.ToString());
        var data = tmp.Combine("trials");
        var (exit, _, stderr) = CliRunner.Run("import", "csv", "--units", tmp.Combine("units.csv"), "--spikes", tmp.Combine("spikes.csv"),
            "--intervals", tmp.Combine("intervals.csv"), "--out", data);
        Assert.True(exit == 0, stderr);
        (exit, _, stderr) = CliRunner.Run("pretrain", "nuclr", "--data", data, "--out", tmp.Combine("m.zip"), "--config", "tiny", "--steps", "1",
            "--batch", "2", "--threads", "1");
        Assert.Contains("note: ", stderr);
        Assert.Contains("inside 'trial' intervals", stderr);
        Assert.Contains("pass --intervals trial", stderr);
    }

    [Fact]
    public void Large_sessions_are_capped_at_256_units_by_default_and_the_cap_is_said_and_stored()
    {
        using var tmp = new TempFolder();
        var data = tmp.Combine("large");
        var (exit, _, stderr) = CliRunner.Run("synth", "--out", data, "--subjects", "2", "--sessions-per-subject", "1", "--units", "300", "--seconds", "12", "--seed", "2");
        Assert.True(exit == 0, stderr);
        var model = tmp.Combine("m.zip");
        (exit, _, stderr) = CliRunner.Run("pretrain", "nuclr", "--data", data, "--out", model, "--config", "tiny", "--steps", "1", "--batch", "2", "--threads", "1");
        Assert.True(exit == 0, stderr);
        Assert.Contains("note: sessions of up to 300 units: training and embedding use random subsets of 256 units", stderr);
        Assert.Equal(256, NuclrModelOptions.FromArtifact(ModelArtifact.Read(model)).Sampling.MaxUnitsPerSample);

        // An explicit --max-units wins, silently.
        (exit, _, stderr) = CliRunner.Run("pretrain", "nuclr", "--data", data, "--out", model, "--config", "tiny", "--steps", "1", "--batch", "2", "--threads", "1",
            "--max-units", "64");
        Assert.True(exit == 0, stderr);
        Assert.DoesNotContain("note: sessions", stderr);
        Assert.Equal(64, NuclrModelOptions.FromArtifact(ModelArtifact.Read(model)).Sampling.MaxUnitsPerSample);
    }

    [Fact]
    public void Unknown_excluded_subject_and_steps_with_epochs_are_one_line_errors()
    {
        using var tmp = new TempFolder();
        var data = tmp.Combine("synth");
        var (exit, _, stderr) = CliRunner.Run("synth", "--out", data, "--subjects", "1", "--sessions-per-subject", "1", "--units", "4", "--seconds", "10", "--seed", "1");
        Assert.True(exit == 0, stderr);
        (exit, _, stderr) = CliRunner.Run("pretrain", "nuclr", "--data", data, "--out", tmp.Combine("m.zip"), "--exclude-subjects", "nobody");
        Assert.Equal(1, exit);
        Assert.Contains("nobody", stderr);
        (exit, _, stderr) = CliRunner.Run("pretrain", "nuclr", "--data", data, "--out", tmp.Combine("m.zip"), "--steps", "3", "--epochs", "1");
        Assert.Equal(1, exit);
        Assert.Contains("--epochs", stderr);
        Assert.False(File.Exists(tmp.Combine("m.zip")));
    }

    [Fact]
    public void Recipe_and_legacy_items_reach_the_artifact_and_an_unknown_item_is_a_one_line_error()
    {
        using var tmp = new TempFolder();
        var data = tmp.Combine("synth");
        var (exit, _, stderr) = CliRunner.Run("synth", "--out", data, "--subjects", "1", "--sessions-per-subject", "1", "--units", "6", "--seconds", "20", "--seed", "1");
        Assert.True(exit == 0, stderr);
        var model = tmp.Combine("legacy.zip");
        (exit, _, stderr) = CliRunner.Run("pretrain", "nuclr", "--data", data, "--out", model, "--recipe", "cpu", "--legacy", "dropout,negatives",
            "--steps", "3", "--batch", "2", "--threads", "1");
        Assert.True(exit == 0, stderr);
        var options = NuclrModelOptions.FromArtifact(ModelArtifact.Read(model));
        // The two items are switched back; every other reference behaviour stays.
        Assert.Equal((0.0, DclNegatives.SharedUnits), (options.Encoder.Dropout, options.Objective.Negatives));
        Assert.Equal((NuclrInput.Counts, true, true), (options.Encoder.Input, options.Sampling.ActiveUnitsOnly, options.Encoder.RotateHalf));
        Assert.Equal(NuclrEncoderOptions.Tiny.Dim, options.Encoder.Dim);

        (exit, _, stderr) = CliRunner.Run("pretrain", "nuclr", "--data", data, "--out", tmp.Combine("x.zip"), "--legacy", "nonsense", "--steps", "1");
        Assert.Equal(1, exit);
        Assert.Contains("nonsense", stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.False(File.Exists(tmp.Combine("x.zip")));
    }
}
