using System.Text.Json;

namespace MLNeuro.Cli.Tests;

public sealed class EvaluateCommandTests
{
    private static readonly string[] Plots =
        { "embeddings-2d.png", "features-2d.png", "confusion-nuclr.png", "confusion-features.png", "label-efficiency.png", "scaling.png" };

    [Fact]
    public void Evaluate_writes_json_markdown_and_plots_and_replaces_an_old_report_whole()
    {
        using var tmp = new TempFolder();
        var data = tmp.Combine("synth");
        var (exit, _, stderr) = CliRunner.Run("synth", "--out", data, "--subjects", "3", "--sessions-per-subject", "1", "--units", "8", "--seconds", "20", "--seed", "1");
        Assert.True(exit == 0, stderr);
        var report = tmp.Combine("report");
        Directory.CreateDirectory(report);
        File.WriteAllText(Path.Combine(report, "report.json"), "{}"); // an older run's report: replaceable
        File.WriteAllText(Path.Combine(report, "stale.txt"), "from an older run");

        (exit, var stdout, stderr) = CliRunner.Run("evaluate", "nuclr", "--data", data, "--label", "cell_type", "--out", report,
            "--config", "tiny", "--steps", "2", "--batch", "2", "--threads", "1");
        Assert.True(exit == 0, stderr);
        Assert.Contains("zero-shot", stdout);

        Assert.False(File.Exists(Path.Combine(report, "stale.txt")));
        foreach (var plot in Plots)
        {
            var bytes = File.ReadAllBytes(Path.Combine(report, plot));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        }
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "report.json")));
        var root = json.RootElement;
        Assert.Equal("cell_type", root.GetProperty("label").GetString());
        Assert.Equal(4, root.GetProperty("scores").GetArrayLength());
        Assert.Equal(6, root.GetProperty("label_efficiency").GetArrayLength() / 2);
        Assert.Equal(2, root.GetProperty("scaling").GetArrayLength());
        Assert.Equal(7, root.GetProperty("pretraining_runs").GetArrayLength());
        foreach (var score in root.GetProperty("scores").EnumerateArray())
            Assert.InRange(score.GetProperty("balanced_accuracy").GetDouble(), 0, 1);
        var markdown = File.ReadAllText(Path.Combine(report, "report.md"));
        Assert.Contains("| NuCLR |", markdown);
        Assert.Contains("(label-efficiency.png)", markdown);
        Assert.Empty(Directory.GetDirectories(tmp.Path, ".report.*"));
    }

    [Fact]
    public void Unknown_label_is_a_one_line_error_and_writes_nothing()
    {
        using var tmp = new TempFolder();
        var data = tmp.Combine("synth");
        var (exit, _, stderr) = CliRunner.Run("synth", "--out", data, "--subjects", "2", "--sessions-per-subject", "1", "--units", "8", "--seconds", "20", "--seed", "1");
        Assert.True(exit == 0, stderr);
        (exit, _, stderr) = CliRunner.Run("evaluate", "nuclr", "--data", data, "--label", "mood", "--out", tmp.Combine("report"), "--config", "tiny", "--steps", "2");
        Assert.Equal(1, exit);
        Assert.Contains("'mood'", stderr);
        Assert.False(Directory.Exists(tmp.Combine("report")));
    }
}
