using System.Text.Json;
using MLNeuro.Loaders;

namespace MLNeuro.Cli.Tests;

public sealed class InfoCommandTests
{
    private static string WriteDataset(TempFolder tmp)
    {
        var path = tmp.Combine("ds");
        using var writer = DatasetWriter.Create(path);
        for (int s = 0; s < 2; s++)
        {
            var b = new RecordingBuilder($"ses{s}", s == 0 ? "mouseA" : "mouseB");
            int u0 = b.AddUnit(new UnitInfo("u0", "CA1", "fs"));
            int u1 = b.AddUnit(new UnitInfo("u1", "CA1", null));
            int u2 = b.AddUnit(new UnitInfo("u2", "V1", "rs"));
            b.AddSpikes(u0, new[] { 0.1, 0.2, 0.3 });
            b.AddSpikes(u2, new[] { 0.5 });
            _ = u1;
            b.SetBehavior(new BehaviorSeries(new[] { 0.0, 1.0 }, new[] { "x", "y" }, new[] { new[] { 0f, 1f }, new[] { 0f, 1f } }));
            b.AddInterval(new Interval(0, 1, "trial"));
            b.SetDomain(0, 10);
            writer.WriteRecording(b.Build());
        }
        writer.Commit();
        return path;
    }

    [Fact]
    public void Json_has_the_documented_keys_and_counts()
    {
        using var tmp = new TempFolder();
        var path = WriteDataset(tmp);
        var (exit, stdout, stderr) = CliRunner.Run("info", path, "--json");
        Assert.True(exit == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(2, root.GetProperty("sessions").GetInt32());
        Assert.Equal(2, root.GetProperty("subjects").GetInt32());
        Assert.Equal(6, root.GetProperty("units").GetInt32());
        Assert.Equal(8, root.GetProperty("spikes").GetInt64());
        Assert.Equal(20.0, root.GetProperty("duration_s").GetDouble());
        Assert.Equal(new[] { "x", "y" }, root.GetProperty("behavior_channels").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(2, root.GetProperty("cell_types").GetProperty("fs").GetInt32());
        Assert.Equal(2, root.GetProperty("cell_types").GetProperty("rs").GetInt32());
        Assert.Equal(4, root.GetProperty("brain_regions").GetProperty("CA1").GetInt32());
        Assert.Equal(2, root.GetProperty("brain_regions").GetProperty("V1").GetInt32());
        Assert.Equal("", stderr);
    }

    [Fact]
    public void Text_mode_prints_a_table()
    {
        using var tmp = new TempFolder();
        var (exit, stdout, _) = CliRunner.Run("info", WriteDataset(tmp));
        Assert.Equal(0, exit);
        Assert.Contains("ses1", stdout);
        Assert.Contains("CA1 4", stdout);
    }

    [Fact]
    public void Missing_folder_is_one_line_on_stderr_and_exit_1()
    {
        var (exit, stdout, stderr) = CliRunner.Run("info", "/nonexistent/dataset");
        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Equal("mlneuro: error: dataset folder '/nonexistent/dataset' does not exist", stderr.Trim());
    }

    [Fact]
    public void Folder_without_manifest_is_named_in_the_error()
    {
        using var tmp = new TempFolder();
        var (exit, _, stderr) = CliRunner.Run("info", tmp.Path);
        Assert.Equal(1, exit);
        Assert.Contains("dataset.json is missing", stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }
}
