using MLNeuro.Estimators;
using MLNeuro.Estimators.Tests;

namespace MLNeuro.Cli.Tests;

/// <summary>
/// Errors caused by the input say what is wrong with which file, in one line, and never call themselves a bug in
/// MLNeuro; text from input files reaches the terminal with its control characters escaped.
/// </summary>
public sealed class ErrorBlameTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private string Synth()
    {
        var data = _tmp.Combine("synth");
        var (exit, _, stderr) = CliRunner.Run("synth", "--out", data, "--subjects", "1", "--sessions-per-subject", "1", "--units", "6", "--seconds", "20", "--seed", "2");
        Assert.True(exit == 0, stderr);
        return data;
    }

    private static string FailsWithOneLine(params string[] args)
    {
        var (exit, stdout, stderr) = CliRunner.Run(args);
        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("mlneuro: error:", StringComparison.Ordinal));
        Assert.DoesNotContain("bug in MLNeuro", stderr);
        return line;
    }

    [Fact]
    public void A_file_that_is_not_a_model_or_is_cut_short_is_named_not_called_a_bug()
    {
        var data = Synth();
        var garbage = _tmp.Combine("garbage.zip");
        File.WriteAllBytes(garbage, Enumerable.Range(0, 100).Select(i => (byte)(i * 37)).ToArray());
        var line = FailsWithOneLine("embed", "--model", garbage, "--data", data, "--out", _tmp.Combine("e.parquet"));
        Assert.Contains($"{garbage}: not a model artifact", line);

        var whole = _tmp.Combine("whole.zip");
        NuclrTestArtifacts.Untrained().Write(whole);
        var bytes = File.ReadAllBytes(whole);
        var cut = _tmp.Combine("cut.zip");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        line = FailsWithOneLine("embed", "--model", cut, "--data", data, "--out", _tmp.Combine("e.parquet"));
        Assert.Contains($"{cut}: ", line);
        Assert.Contains("truncated", line);
        Assert.False(File.Exists(_tmp.Combine("e.parquet")));
    }

    [Fact]
    public void A_model_of_another_kind_given_to_embed_names_the_file_and_the_kind_needed()
    {
        var data = Synth();
        var wiener = _tmp.Combine("wiener.zip");
        var provenance = new ModelProvenance("1.0.0", data, "hash", 0, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        new ModelArtifact(new ModelManifest(WienerFilterDecoder.ModelKind, "{}", provenance), [1]).Write(wiener);
        var line = FailsWithOneLine("embed", "--model", wiener, "--data", data, "--out", _tmp.Combine("e.parquet"));
        Assert.Contains(wiener, line);
        Assert.Contains("'wiener' model", line);
        Assert.Contains("NuCLR", line);
    }

    [Fact]
    public void A_folder_for_a_file_and_a_file_for_a_folder_say_so()
    {
        var data = Synth();
        Assert.Contains($"'{data}' is a folder, not a model artifact",
            FailsWithOneLine("embed", "--model", data, "--data", data, "--out", _tmp.Combine("e.parquet")));
        var manifest = Path.Combine(data, "dataset.json");
        var line = FailsWithOneLine("info", manifest);
        Assert.Contains($"'{manifest}' is a file, not a dataset folder; give the folder that holds it ('{data}')", line);
        Assert.Contains("is a folder, not a Parquet file", FailsWithOneLine("probe", "--table", data, "--label", "cell_type"));
        var spikes = _tmp.Combine("spikes.csv");
        File.WriteAllText(spikes, "unit_id,timestamp\nu1,0.5\n");
        Assert.Contains($"'{data}' is a folder, not a CSV file",
            FailsWithOneLine("import", "csv", "--units", data, "--spikes", spikes, "--out", _tmp.Combine("out")));
    }

    [Theory]
    [InlineData(";")]
    [InlineData("\t")]
    public void A_csv_header_split_by_another_delimiter_says_the_delimiter_must_be_a_comma(string delimiter)
    {
        var units = _tmp.Combine("units.csv");
        var spikes = _tmp.Combine("spikes.csv");
        File.WriteAllText(units, $"unit_id{delimiter}brain_region\nu1{delimiter}CA1\n");
        File.WriteAllText(spikes, "unit_id,timestamp\nu1,0.5\n");
        var line = FailsWithOneLine("import", "csv", "--units", units, "--spikes", spikes, "--out", _tmp.Combine("out"));
        Assert.Contains("units.csv", line);
        Assert.Contains("the delimiter must be a comma", line);
        Assert.False(Directory.Exists(_tmp.Combine("out")));
    }

    [Fact]
    public void Control_characters_from_input_files_are_escaped_in_errors_and_tables()
    {
        var units = _tmp.Combine("units.csv");
        var spikes = _tmp.Combine("spikes.csv");
        File.WriteAllText(units, "unit_id\nu1\n");
        File.WriteAllText(spikes, "unit_id,timestamp\n\"u\u001b[2J\u001b[31mX\u0007\nY\",0.5\n");
        var line = FailsWithOneLine("import", "csv", "--units", units, "--spikes", spikes, "--out", _tmp.Combine("out"));
        Assert.Contains(@"unit 'u\x1b[2J\x1b[31mX\x07\x0aY' is not in units.csv", line);

        // A session id with an escape sequence, imported, then listed by `info`.
        File.WriteAllText(spikes, "unit_id,timestamp\nu1,0.5\n");
        var output = _tmp.Combine("ds");
        var (exit, _, stderr) = CliRunner.Run("import", "csv", "--units", units, "--spikes", spikes, "--session", "s\u001b]0;owned\u0007\u202e", "--out", output);
        Assert.True(exit == 0, stderr);
        string stdout;
        (exit, stdout, stderr) = CliRunner.Run("info", output);
        Assert.True(exit == 0, stderr);
        Assert.Contains(@"s\x1b]0;owned\x07\u202e", stdout);
        Assert.DoesNotContain(stdout, c => char.IsControl(c) && c is not ('\n' or '\r'));
    }

    [Fact]
    public void Unknown_exceptions_still_say_bug_and_user_errors_do_not()
    {
        var stderr = new StringWriter();
        Assert.Equal(CliErrors.Failure, CliErrors.Report(new InvalidDataException("m.zip: manifest.json is missing."), stderr));
        Assert.Equal(CliErrors.Failure, CliErrors.Report(new NullReferenceException("oops"), stderr));
        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("mlneuro: error: m.zip: manifest.json is missing.", lines[0].TrimEnd());
        Assert.Contains("NullReferenceException: oops (this is a bug in MLNeuro", lines[1]);
    }
}
