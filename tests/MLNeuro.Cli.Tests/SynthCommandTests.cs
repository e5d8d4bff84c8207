using System.Text.Json;
using MLNeuro.Loaders;

namespace MLNeuro.Cli.Tests;

public sealed class SynthCommandTests
{
    private static readonly string[] Small = { "--subjects", "2", "--sessions-per-subject", "2", "--units", "12", "--seconds", "20" };

    [Fact]
    public void Synth_writes_a_dataset_that_info_describes()
    {
        using var tmp = new TempFolder();
        var output = tmp.Combine("synth");
        var (exit, _, stderr) = CliRunner.Run(new[] { "synth", "--out", output, "--seed", "5" }.Concat(Small).ToArray());
        Assert.True(exit == 0, stderr);
        (exit, var stdout, stderr) = CliRunner.Run("info", output, "--json");
        Assert.True(exit == 0, stderr);
        var info = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(4, info.GetProperty("sessions").GetInt32());
        Assert.Equal(2, info.GetProperty("subjects").GetInt32());
        Assert.Equal(48, info.GetProperty("units").GetInt32());
        Assert.True(info.GetProperty("spikes").GetInt64() > 0);
        Assert.Equal(80.0, info.GetProperty("duration_s").GetDouble(), 6);
        Assert.True(info.GetProperty("cell_types").EnumerateObject().Count() >= 4);
        Assert.True(info.GetProperty("brain_regions").EnumerateObject().Count() >= 2);
        Assert.Contains("x", info.GetProperty("behavior_channels").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Same_seed_gives_the_same_spikes_and_another_seed_does_not()
    {
        using var tmp = new TempFolder();
        long[] Sums(string name, string seed)
        {
            var output = tmp.Combine(name);
            var (exit, _, stderr) = CliRunner.Run(new[] { "synth", "--out", output, "--seed", seed }.Concat(Small).ToArray());
            Assert.True(exit == 0, stderr);
            var dataset = NeuralDataset.Open(output);
            return dataset.ReadRecordings(RecordingParts.Spikes)
                .Select(r => r.Spikes.Count + (long)BitConverter.DoubleToInt64Bits(r.Spikes.Timestamps.ToArray().Sum())).ToArray();
        }
        Assert.Equal(Sums("a", "1"), Sums("b", "1"));
        Assert.NotEqual(Sums("a2", "1"), Sums("c", "2"));
    }

    [Fact]
    public void Invalid_option_value_names_the_option()
    {
        using var tmp = new TempFolder();
        var (exit, _, stderr) = CliRunner.Run("synth", "--out", tmp.Combine("x"), "--units", "0");
        Assert.NotEqual(0, exit);
        Assert.Contains("--units must be at least 1", stderr);
        Assert.False(Directory.Exists(tmp.Combine("x")));
    }
}
