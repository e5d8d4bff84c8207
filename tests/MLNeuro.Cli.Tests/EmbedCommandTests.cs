using System.Text.Json;
using MLNeuro.Estimators;
using MLNeuro.Estimators.Tests;
using MLNeuro.Loaders;

namespace MLNeuro.Cli.Tests;

public sealed class EmbedCommandTests
{
    [Fact]
    public void Embed_writes_a_table_probe_reads_unchanged()
    {
        using var tmp = new TempFolder();
        var data = tmp.Combine("synth");
        var model = tmp.Combine("nuclr.zip");
        var table = tmp.Combine("embed.parquet");
        var report = tmp.Combine("probe.json");
        // An untrained Tiny artifact: the point is the plumbing (artifact -> ONNX -> table -> probe), not accuracy.
        NuclrTestArtifacts.Untrained().Write(model);
        var (exit, _, stderr) = CliRunner.Run("synth", "--out", data, "--subjects", "2", "--sessions-per-subject", "1", "--units", "8", "--seconds", "20", "--seed", "1");
        Assert.True(exit == 0, stderr);

        (exit, _, stderr) = CliRunner.Run("embed", "--model", model, "--data", data, "--out", table);
        Assert.True(exit == 0, stderr);
        Assert.Contains("16 units x 32 embedding dims", stderr);
        var embeddings = FeatureTable.Read(table);
        Assert.Equal(16, embeddings.RowCount);
        Assert.Equal(NuclrEncoderOptions.Tiny.Dim, embeddings.Dimension);
        Assert.Equal(new[] { "unit_id", "session_id", "subject_id", "brain_region", "cell_type" }, embeddings.LabelColumns.Take(5));
        Assert.Single(Directory.GetFiles(tmp.Path, "*.parquet*")); // no temporary file left behind

        (exit, _, stderr) = CliRunner.Run("probe", "--table", table, "--label", "cell_type", "--group", "subject_id", "--json", report);
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal(2, json.RootElement.GetProperty("folds").GetArrayLength());
    }

    [Fact]
    public void A_missing_model_is_one_line_and_writes_nothing()
    {
        using var tmp = new TempFolder();
        var data = tmp.Combine("synth");
        var (exit, _, stderr) = CliRunner.Run("synth", "--out", data, "--subjects", "1", "--sessions-per-subject", "1", "--units", "4", "--seconds", "5", "--seed", "1");
        Assert.True(exit == 0, stderr);
        (exit, _, stderr) = CliRunner.Run("embed", "--model", tmp.Combine("absent.zip"), "--data", data, "--out", tmp.Combine("e.parquet"));
        Assert.Equal(1, exit);
        Assert.StartsWith("mlneuro: error:", stderr.Trim());
        Assert.Contains("absent.zip", stderr);
        Assert.False(File.Exists(tmp.Combine("e.parquet")));
    }
}
