namespace MLNeuro.Cli.Tests;

/// <summary>Ctrl-C (here a cancelled token, which System.CommandLine links to the commands' token) exits 130.</summary>
public sealed class CancellationTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static CancellationToken Cancelled() => new(canceled: true);

    [Fact]
    public void A_cancelled_command_exits_130_says_so_and_writes_nothing()
    {
        var output = _tmp.Combine("synth");
        var (exit, stdout, stderr) = CliRunner.Run(Cancelled(), "synth", "--out", output, "--subjects", "1", "--sessions-per-subject", "1", "--units", "4", "--seconds", "5");
        Assert.Equal(CliErrors.Cancelled, exit);
        Assert.Equal(130, exit);
        Assert.Equal("", stdout);
        Assert.Equal("mlneuro: cancelled; nothing was written", stderr.Trim().Split('\n')[^1].Trim());
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Cancelled_training_exits_130_leaving_a_checkpoint_and_a_cut_checkpoint_is_named_on_resume()
    {
        var data = _tmp.Combine("synth");
        var (exit, _, stderr) = CliRunner.Run("synth", "--out", data, "--subjects", "1", "--sessions-per-subject", "1", "--units", "6", "--seconds", "20", "--seed", "4");
        Assert.True(exit == 0, stderr);
        var model = _tmp.Combine("poyo.zip");
        string[] train = ["decode", "train", "--data", data, "--target", "vx", "--model", "poyo", "--steps", "4", "--batch", "2", "--threads", "1", "--out", model];

        (exit, _, stderr) = CliRunner.Run(Cancelled(), train);
        Assert.Equal(130, exit);
        var checkpoint = model + ".checkpoint";
        Assert.Contains($"mlneuro: cancelled at step 0/4; checkpoint at {checkpoint}; rerun with --resume to continue", stderr);
        Assert.True(File.Exists(checkpoint));
        Assert.False(File.Exists(model));

        // A checkpoint cut short (a copy interrupted, a full disk) is named, with what is wrong, on --resume.
        var bytes = File.ReadAllBytes(checkpoint);
        File.WriteAllBytes(checkpoint, bytes[..(bytes.Length * 2 / 3)]);
        (exit, _, stderr) = CliRunner.Run([.. train, "--resume"]);
        Assert.Equal(1, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("mlneuro: error:", StringComparison.Ordinal));
        Assert.Contains($"{checkpoint}: the checkpoint is truncated", line);
        Assert.DoesNotContain("bug in MLNeuro", stderr);
    }
}
