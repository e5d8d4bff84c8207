using System.Text.Json.Nodes;
using MLNeuro.Estimators;

namespace MLNeuro.Cli.Tests;

public sealed class DecodeCommandTests
{
    private static string Synth(TempFolder tmp, int subjects = 2)
    {
        var data = tmp.Combine("synth");
        var (exit, _, stderr) = CliRunner.Run("synth", "--out", data, "--subjects", subjects.ToString(), "--sessions-per-subject", "1", "--units", "10", "--seconds", "30", "--seed", "3");
        Assert.True(exit == 0, stderr);
        return data;
    }

    [Theory]
    [InlineData("poyo")]
    [InlineData("wiener")]
    [InlineData("mlp")]
    public void Train_then_eval_writes_an_artifact_and_r2_json_with_trace_plots(string model)
    {
        using var tmp = new TempFolder();
        var data = Synth(tmp);
        var path = tmp.Combine($"{model}.zip");
        var (exit, _, stderr) = CliRunner.Run("decode", "train", "--data", data, "--target", "vx,vy", "--model", model, "--steps", "8", "--batch", "4", "--threads", "1", "--out", path);
        Assert.True(exit == 0, stderr);
        Assert.Contains("validation R²", stderr);
        Assert.False(File.Exists(path + ".checkpoint"));
        Assert.Equal(model, ModelArtifact.Read(path).Manifest.ModelKind);

        var json = tmp.Combine("scores.json");
        var plots = tmp.Combine("plots");
        string stdout;
        (exit, stdout, stderr) = CliRunner.Run("decode", "eval", "--model", path, "--data", data, "--json", json, "--plots", plots, "--threads", "1");
        Assert.True(exit == 0, stderr);
        Assert.Contains("sub-01_ses-01\tR²", stdout);
        Assert.Contains("all\tR²", stdout);
        var root = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.Equal(model, (string)root["model"]!);
        Assert.True(double.IsFinite((double)root["r2"]!));
        Assert.NotNull(root["channels"]!["vy"]);
        Assert.Equal(2, root["sessions"]!.AsObject().Count);
        Assert.True(File.Exists(Path.Combine(plots, "sub-02_ses-01.png")));
    }

    [Fact]
    public void Poyo_training_writes_a_learning_curve_with_its_validation_r2()
    {
        using var tmp = new TempFolder();
        var data = Synth(tmp);
        var curve = tmp.Combine("curve");
        var (exit, _, stderr) = CliRunner.Run("decode", "train", "--data", data, "--target", "vx,vy", "--steps", "6", "--batch", "4", "--threads", "1",
            "--validate-every", "3", "--learning-curve", curve, "--out", tmp.Combine("poyo.zip"));
        Assert.True(exit == 0, stderr);
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(curve, "learning-curve.json")))!;
        Assert.Equal("validation R²", (string)root["validationMetric"]!);
        Assert.Equal(6, root["loss"]!.AsArray().Count);
        Assert.Equal([3, 6], root["validation"]!.AsArray().Select(p => (int)p!["step"]!));
        Assert.Contains("wrote learning curve", stderr);

        // A curve folder that is a file is refused before training starts.
        File.WriteAllText(tmp.Combine("taken"), "x");
        (exit, _, stderr) = CliRunner.Run("decode", "train", "--data", data, "--target", "vx,vy", "--steps", "2", "--learning-curve", tmp.Combine("taken"),
            "--out", tmp.Combine("other.zip"));
        Assert.Equal(1, exit);
        Assert.Contains("--learning-curve", stderr);
        Assert.False(File.Exists(tmp.Combine("other.zip")));
    }

    [Fact]
    public void Adapt_adds_a_new_session_and_eval_scores_it()
    {
        using var tmp = new TempFolder();
        var data = Synth(tmp, subjects: 3);
        var pre = tmp.Combine("pre.zip");
        var (exit, _, stderr) = CliRunner.Run("decode", "train", "--data", data, "--target", "vx,vy", "--sessions", "sub-01_ses-01,sub-02_ses-01", "--steps", "5", "--batch", "4", "--threads", "1", "--out", pre);
        Assert.True(exit == 0, stderr);
        var adapted = tmp.Combine("adapted.zip");
        (exit, _, stderr) = CliRunner.Run("decode", "adapt", "--model", pre, "--data", data, "--mode", "finetune", "--unit-id-steps", "4", "--finetune-steps", "3", "--threads", "1", "--out", adapted);
        Assert.True(exit == 0, stderr);
        Assert.Contains("adapted to sub-03_ses-01", stderr);
        Assert.Equal(["sub-01_ses-01", "sub-02_ses-01", "sub-03_ses-01"], PoyoDecoder.SessionsOf(ModelArtifact.Read(adapted)));
        Assert.Empty(Directory.GetFiles(tmp.Path, "*.checkpoint*"));
        string stdout;
        (exit, stdout, stderr) = CliRunner.Run("decode", "eval", "--model", adapted, "--data", data, "--sessions", "sub-03_ses-01");
        Assert.True(exit == 0, stderr);
        Assert.Contains("sub-03_ses-01\tR²", stdout);

        // Every session is known now: nothing left to adapt to.
        (exit, _, stderr) = CliRunner.Run("decode", "adapt", "--model", adapted, "--data", data, "--out", tmp.Combine("again.zip"));
        Assert.Equal(1, exit);
        Assert.Contains("already known", stderr);
    }

    [Fact]
    public void Ssl_pretraining_then_fine_tuning_on_the_units_it_did_not_see()
    {
        using var tmp = new TempFolder();
        var data = Synth(tmp);
        var ssl = tmp.Combine("ssl.zip");
        var (exit, _, stderr) = CliRunner.Run("pretrain", "poyo-ssl", "--data", data, "--target", "vx,vy", "--steps", "5", "--batch", "4", "--threads", "1", "--out", ssl);
        Assert.True(exit == 0, stderr);
        Assert.Contains("predictable of 20 units", stderr);
        var tuned = tmp.Combine("tuned.zip");
        (exit, _, stderr) = CliRunner.Run("decode", "train", "--data", data, "--target", "vx,vy", "--init", ssl, "--units-not-in", ssl, "--steps", "4", "--batch", "4", "--threads", "1", "--out", tuned);
        Assert.True(exit == 0, stderr);
        var pretrainedUnits = PoyoDecoder.UnitsOf(ModelArtifact.Read(ssl));
        var tunedUnits = PoyoDecoder.UnitsOf(ModelArtifact.Read(tuned));
        Assert.Equal(20, tunedUnits.Count);
        Assert.Equal(pretrainedUnits, tunedUnits.Take(pretrainedUnits.Count));
    }

    [Fact]
    public void Bad_input_is_a_one_line_error_naming_the_problem()
    {
        using var tmp = new TempFolder();
        var data = Synth(tmp);
        var (exit, _, stderr) = CliRunner.Run("decode", "train", "--data", data, "--target", "speed", "--steps", "2", "--out", tmp.Combine("m.zip"));
        Assert.Equal(1, exit);
        Assert.Contains("'speed'", stderr);
        Assert.Contains("vx", stderr);
        (exit, _, stderr) = CliRunner.Run("decode", "train", "--data", data, "--target", "vx", "--sessions", "nope", "--out", tmp.Combine("m.zip"));
        Assert.Equal(1, exit);
        Assert.Contains("nope", stderr);
        (exit, _, stderr) = CliRunner.Run("decode", "train", "--data", data, "--target", "vx", "--clean-camera", "640by480", "--out", tmp.Combine("m.zip"));
        Assert.Equal(1, exit);
        Assert.Contains("--clean-camera", stderr);
        Assert.False(File.Exists(tmp.Combine("m.zip")));
    }
}
