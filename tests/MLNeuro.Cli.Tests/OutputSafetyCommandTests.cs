using MLNeuro.Estimators;
using MLNeuro.Loaders;

namespace MLNeuro.Cli.Tests;

/// <summary>No command may destroy a user's files: every case is refused before work starts and leaves everything as it was.</summary>
public sealed class OutputSafetyCommandTests
{
    private static string Synth(TempFolder tmp, string name = "ds")
    {
        var data = tmp.Combine(name);
        var (exit, _, stderr) = CliRunner.Run("synth", "--out", data, "--subjects", "1", "--sessions-per-subject", "1", "--units", "4", "--seconds", "10", "--seed", "1");
        Assert.True(exit == 0, stderr);
        return data;
    }

    private static string[] Entries(string folder) =>
        Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public void Overwrite_refuses_a_folder_that_is_not_a_dataset()
    {
        using var tmp = new TempFolder();
        var home = tmp.Combine("Documents");
        Directory.CreateDirectory(home);
        File.WriteAllText(Path.Combine(home, "paper.docx"), "draft");
        var (exit, _, stderr) = CliRunner.Run("synth", "--out", home, "--overwrite", "--subjects", "1", "--units", "4", "--seconds", "5");
        Assert.Equal(1, exit);
        Assert.Contains("not an MLNeuro dataset; refusing to replace it", stderr);
        Assert.Equal("draft", File.ReadAllText(Path.Combine(home, "paper.docx")));
        Assert.Equal(["Documents", "paper.docx"], Entries(tmp.Path));
    }

    [Fact]
    public void An_output_that_is_a_regular_file_is_refused_and_kept()
    {
        using var tmp = new TempFolder();
        var file = tmp.Combine("notes.txt");
        File.WriteAllText(file, "keep");
        var (exit, _, stderr) = CliRunner.Run("synth", "--out", file, "--overwrite", "--subjects", "1", "--units", "4", "--seconds", "5");
        Assert.Equal(1, exit);
        Assert.Contains("is a file, not a folder", stderr);
        Assert.Equal("keep", File.ReadAllText(file));
        Assert.Equal(["notes.txt"], Entries(tmp.Path)); // no hidden leftovers either
    }

    [Fact]
    public void Outputs_inside_or_equal_to_an_input_are_refused()
    {
        using var tmp = new TempFolder();
        var data = Synth(tmp);
        var before = Entries(data);

        var (exit, _, stderr) = CliRunner.Run("features", "--data", data, "--out", Path.Combine(data, "units.parquet"));
        Assert.Equal(1, exit);
        Assert.Contains("is inside --data", stderr);

        (exit, _, stderr) = CliRunner.Run("features", "--data", data, "--out", data);
        Assert.Equal(1, exit);
        Assert.Contains("is the same path as --data", stderr);

        (exit, _, stderr) = CliRunner.Run("evaluate", "nuclr", "--data", data, "--out", tmp.Path);
        Assert.Equal(1, exit);
        Assert.Contains("contains --data", stderr);

        var notes = tmp.Combine("notes");
        Directory.CreateDirectory(notes);
        File.WriteAllText(Path.Combine(notes, "todo.txt"), "x");
        (exit, _, stderr) = CliRunner.Run("evaluate", "nuclr", "--data", data, "--out", notes);
        Assert.Equal(1, exit);
        Assert.Contains("is not an MLNeuro evaluation report; refusing to replace it", stderr);
        Assert.True(File.Exists(Path.Combine(notes, "todo.txt")));

        Assert.Equal(before, Entries(data));
        NeuralDataset.Open(data); // still readable
    }

    [Fact]
    public void Two_outputs_at_one_path_are_refused()
    {
        using var tmp = new TempFolder();
        var data = Synth(tmp);
        var (exit, _, stderr) = CliRunner.Run("decode", "eval", "--model", tmp.Combine("m.zip"), "--data", data,
            "--json", tmp.Combine("out"), "--plots", tmp.Combine("out"));
        Assert.Equal(1, exit);
        Assert.Contains("are the same path", stderr);
    }

    [Fact]
    public void Resume_with_other_settings_than_the_checkpoint_is_refused()
    {
        using var tmp = new TempFolder();
        var data = Synth(tmp);
        var model = tmp.Combine("model.zip");
        var checkpoint = model + ".checkpoint";
        // A checkpoint as a killed 5-step run leaves it (the library writes one at the end of every run).
        NuclrPretrainer.Pretrain(NeuralDataset.Open(data), new NuclrModelOptions
        {
            Encoder = NuclrEncoderOptions.Tiny, Sampling = new() { WindowSeconds = 4, PatchCount = 4, BinSeconds = 0.1 },
        }, new TrainingOptions
        {
            TotalSteps = 5, WarmupSteps = 1, CheckpointPath = checkpoint, Seed = 0,
        });
        var bytes = File.ReadAllBytes(checkpoint);

        var (exit, _, stderr) = CliRunner.Run("pretrain", "nuclr", "--data", data, "--out", model, "--config", "tiny",
            "--steps", "3", "--batch", "2", "--threads", "1", "--resume");
        Assert.Equal(1, exit);
        Assert.Contains(checkpoint, stderr);
        Assert.Contains("steps: checkpoint 5, now 3", stderr);
        Assert.False(File.Exists(model));
        Assert.Equal(bytes, File.ReadAllBytes(checkpoint));
    }
}
