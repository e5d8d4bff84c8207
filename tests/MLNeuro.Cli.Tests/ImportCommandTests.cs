using System.Text.Json;

namespace MLNeuro.Cli.Tests;

public sealed class ImportCommandTests
{
    private static JsonElement Info(string dataset)
    {
        var (exit, stdout, stderr) = CliRunner.Run("info", dataset, "--json");
        Assert.True(exit == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    [Fact]
    public void Nwb_import_then_info_reports_the_dandi_units_and_regions()
    {
        using var tmp = new TempFolder();
        var output = tmp.Combine("human");
        var (exit, stdout, stderr) = CliRunner.Run("import", "nwb", TestData.File("human-mtl-dandi000207", "sub-4_ses-4_ecephys+image.nwb"), "--out", output);
        Assert.True(exit == 0, stderr);
        Assert.Equal("", stdout);
        var info = Info(output);
        Assert.Equal(1, info.GetProperty("sessions").GetInt32());
        Assert.Equal(35, info.GetProperty("units").GetInt32());
        Assert.Equal(214_278, info.GetProperty("spikes").GetInt64());
        Assert.Equal(25, info.GetProperty("brain_regions").GetProperty("hippocampus_right").GetInt32());
        Assert.Equal(10, info.GetProperty("brain_regions").GetProperty("amygdala_right").GetInt32());
    }

    [Fact]
    public void Csv_import_then_info_reports_the_rat_session_with_position()
    {
        using var tmp = new TempFolder();
        var output = tmp.Combine("rat");
        string F(string name) => TestData.File("rat-hippocampus-nelpy-excerpt", name); // the first 180 s of the session
        var (exit, _, stderr) = CliRunner.Run("import", "csv", "--units", F("linear-track_units.csv"), "--spikes", F("linear-track_spikes.csv"),
            "--behavior", F("linear-track_position.csv"), "--session", "linear-track", "--subject", "rat", "--out", output);
        Assert.True(exit == 0, stderr);
        var info = Info(output);
        Assert.Equal(31, info.GetProperty("units").GetInt32());
        Assert.Equal(3_147, info.GetProperty("spikes").GetInt64());
        Assert.Equal(new[] { "x_px", "y_px" }, info.GetProperty("behavior_channels").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("linear-track", info.GetProperty("session_list")[0].GetProperty("session_id").GetString());
    }

    [Fact]
    public void Existing_output_is_refused_without_overwrite_and_left_untouched()
    {
        using var tmp = new TempFolder();
        var output = tmp.Combine("existing");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "mine.txt"), "keep me");
        var nwb = TestData.File("human-mtl-dandi000207", "sub-4_ses-4_ecephys+image.nwb");
        var (exit, _, stderr) = CliRunner.Run("import", "nwb", nwb, "--out", output);
        Assert.Equal(1, exit);
        Assert.Contains("already exists", stderr);
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(output, "mine.txt")));

        // --overwrite replaces only an MLNeuro dataset: a folder of the user's is never deleted.
        (exit, _, stderr) = CliRunner.Run("import", "nwb", nwb, "--out", output, "--overwrite");
        Assert.Equal(1, exit);
        Assert.Contains("not an MLNeuro dataset; refusing to replace it", stderr);
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(output, "mine.txt")));

        var dataset = tmp.Combine("dataset");
        (exit, _, stderr) = CliRunner.Run("import", "nwb", nwb, "--out", dataset);
        Assert.True(exit == 0, stderr);
        (exit, _, stderr) = CliRunner.Run("import", "nwb", nwb, "--out", dataset, "--overwrite");
        Assert.True(exit == 0, stderr);
        Assert.Equal(35, Info(dataset).GetProperty("units").GetInt32());
    }

    [Fact]
    public void Bad_csv_fails_with_one_line_and_leaves_no_output()
    {
        using var tmp = new TempFolder();
        var units = tmp.Combine("units.csv");
        var spikes = tmp.Combine("spikes.csv");
        File.WriteAllText(units, "unit_id\na\nb\n");
        File.WriteAllText(spikes, "unit_id,timestamp\na,0.5\nc,0.7\n");
        var output = tmp.Combine("out");
        var (exit, stdout, stderr) = CliRunner.Run("import", "csv", "--units", units, "--spikes", spikes, "--out", output);
        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        var lines = stderr.Trim().Split('\n');
        Assert.Single(lines, l => l.StartsWith("mlneuro: error:", StringComparison.Ordinal));
        Assert.Contains("spikes.csv", stderr);
        Assert.False(Directory.Exists(output));
        Assert.Equal(new[] { "spikes.csv", "units.csv" }, Directory.GetFileSystemEntries(tmp.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Text_file_posing_as_nwb_is_a_clear_error()
    {
        using var tmp = new TempFolder();
        var fake = tmp.Combine("fake.nwb");
        File.WriteAllText(fake, "not hdf5");
        var (exit, _, stderr) = CliRunner.Run("import", "nwb", fake, "--out", tmp.Combine("out"));
        Assert.Equal(1, exit);
        Assert.Contains("fake.nwb", stderr);
        Assert.False(Directory.Exists(tmp.Combine("out")));
    }

    [Fact]
    public void Sessions_without_spikes_warn_and_strict_fails_writing_nothing()
    {
        using var tmp = new TempFolder();
        var units = tmp.Combine("units.csv");
        var spikes = tmp.Combine("spikes.csv");
        File.WriteAllText(units, "unit_id,session_id\na,s1\nb,s2\n");
        File.WriteAllText(spikes, "unit_id,timestamp,session_id\na,0.5,s1\na,0.9,s1\n");
        var output = tmp.Combine("out");
        var (exit, stdout, stderr) = CliRunner.Run("import", "csv", "--units", units, "--spikes", spikes, "--out", output);
        Assert.True(exit == 0, stderr);
        Assert.Equal("", stdout);
        Assert.Contains("mlneuro: warning: 1 of 2 sessions have no spikes: 's2' (spikes.csv); use --strict to fail instead", stderr);
        Assert.Contains("2 sessions, 2 units, 2 spikes", stderr);
        Assert.Equal(2, Info(output).GetProperty("sessions").GetInt32());

        var strict = tmp.Combine("strict");
        (exit, stdout, stderr) = CliRunner.Run("import", "csv", "--units", units, "--spikes", spikes, "--out", strict, "--strict");
        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Contains("mlneuro: error: ", stderr);
        Assert.Contains("session 's2' has no spikes; nothing was written", stderr);
        Assert.False(Directory.Exists(strict));
    }

    [Fact]
    public void An_import_with_no_spikes_at_all_warns()
    {
        using var tmp = new TempFolder();
        var units = tmp.Combine("units.csv");
        var spikes = tmp.Combine("spikes.csv");
        File.WriteAllText(units, "unit_id\na\n");
        File.WriteAllText(spikes, "unit_id,timestamp\n");
        var (exit, _, stderr) = CliRunner.Run("import", "csv", "--units", units, "--spikes", spikes, "--out", tmp.Combine("out"));
        Assert.True(exit == 0, stderr);
        Assert.Contains("mlneuro: warning: the import holds no spikes at all (1 session); use --strict to fail instead", stderr);
    }
}
