using MLNeuro.Loaders.Import;
using PureHDF;

namespace MLNeuro.Loaders.Tests;

/// <summary>Errors that blame the input: a folder for a file and the reverse, another CSV delimiter, imports without spikes.</summary>
public sealed class InputErrorTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private string Write(string name, string text)
    {
        var path = _tmp.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Dataset_json_given_as_the_dataset_says_to_give_its_folder()
    {
        var manifest = Write("dataset.json", "{}");
        var e = Assert.Throws<DirectoryNotFoundException>(() => NeuralDataset.Open(manifest));
        Assert.Contains($"'{manifest}' is a file, not a dataset folder", e.Message);
        Assert.Contains($"'{_tmp.Path}'", e.Message); // the folder to give instead

        var other = Write("units.csv", "unit_id\n");
        e = Assert.Throws<DirectoryNotFoundException>(() => NeuralDataset.Open(other));
        Assert.Contains("is a file, not a dataset folder", e.Message);
        Assert.DoesNotContain("holds it", e.Message);

        e = Assert.Throws<DirectoryNotFoundException>(() => NeuralDataset.Open(_tmp.Combine("missing")));
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void Folders_given_as_input_files_are_reported_as_folders()
    {
        var folder = _tmp.Combine("a-folder");
        Directory.CreateDirectory(folder);
        var spikes = Write("spikes.csv", "unit_id,timestamp\nu1,0.5\n");

        var csv = Assert.Throws<FileNotFoundException>(() => CsvImporter.Read(new CsvImportOptions { UnitsFile = folder, SpikesFile = spikes }));
        Assert.Equal($"'{folder}' is a folder, not a CSV file", csv.Message);

        var nwb = Assert.Throws<FileNotFoundException>(() => NwbImporter.ReadRecording(folder));
        Assert.Equal($"'{folder}' is a folder, not an NWB file", nwb.Message);

        var table = Assert.Throws<DataFormatException>(() => FeatureTable.Read(folder));
        Assert.Equal(folder, table.File);
        Assert.Contains("is a folder, not a Parquet file", table.Message);
    }

    [Theory]
    [InlineData("unit_id;session_id\nu1;s1\n", "semicolon")]
    [InlineData("unit_id\tsession_id\nu1\ts1\n", "tab")]
    public void A_header_split_by_another_delimiter_says_the_delimiter_must_be_a_comma(string text, string delimiter)
    {
        var path = Write("units.csv", text);
        var e = Assert.Throws<DataFormatException>(() => CsvReader.Open(path).Dispose());
        Assert.Equal(path, e.File);
        Assert.Contains(delimiter, e.Message);
        Assert.Contains("the delimiter must be a comma", e.Message);
    }

    [Fact]
    public void Semicolons_inside_a_comma_separated_header_are_fine()
    {
        using var csv = CsvReader.Open(Write("units.csv", "unit_id,note;x\nu1,a;b\n"));
        Assert.Equal(new[] { "unit_id", "note;x" }, csv.Header);
        using var single = CsvReader.Open(Write("one.csv", "unit_id\nu1\n"));
        Assert.Equal(new[] { "unit_id" }, single.Header);
    }

    [Fact]
    public void Csv_import_reports_sessions_without_spikes_and_can_refuse_them()
    {
        var options = new CsvImportOptions
        {
            UnitsFile = Write("units.csv", "unit_id,session_id\nu1,s1\nu2,s2\nu3,s3\n"),
            SpikesFile = Write("spikes.csv", "unit_id,timestamp,session_id\nu1,0.5,s1\nu1,0.7,s1\n"),
        };
        var output = _tmp.Combine("ds");
        var summary = CsvImporter.Import(options, output);
        Assert.Equal(new[] { "s1", "s2", "s3" }, summary.Sessions.Select(s => s.SessionId));
        Assert.Equal(new long[] { 2, 0, 0 }, summary.Sessions.Select(s => s.SpikeCount));
        Assert.Equal(2, summary.TotalSpikes);
        Assert.Equal(new[] { "s2", "s3" }, summary.SessionsWithoutSpikes.Select(s => s.SessionId));
        Assert.All(summary.Sessions, s => Assert.Equal(options.SpikesFile, s.SourceFile));
        Assert.Equal(3, NeuralDataset.Open(output).Sessions.Count);

        var strictOutput = _tmp.Combine("strict");
        var e = Assert.Throws<DataFormatException>(() => CsvImporter.Import(options, strictOutput, requireSpikes: true));
        Assert.Equal(options.SpikesFile, e.File);
        Assert.Contains("2 sessions ('s2', 's3') have no spikes", e.Message);
        Assert.False(Directory.Exists(strictOutput));
    }

    [Fact]
    public void Nwb_import_of_a_file_without_spikes_warns_through_the_summary_or_fails_when_required()
    {
        var path = _tmp.Combine("silent.nwb");
        new H5File
        {
            Attributes = new() { ["nwb_version"] = "2.7.0", ["neurodata_type"] = "NWBFile" },
            ["identifier"] = "silent-1",
            ["units"] = new H5Group
            {
                ["id"] = new[] { "u1", "u2" },
                ["spike_times"] = Array.Empty<double>(),
                ["spike_times_index"] = new uint[] { 0, 0 },
            },
            ["intervals"] = new H5Group
            {
                ["trials"] = new H5Group { ["start_time"] = new[] { 0.0 }, ["stop_time"] = new[] { 1.0 } },
            },
        }.Write(path);

        var summary = NwbImporter.Import(new[] { path }, _tmp.Combine("ds"));
        var session = Assert.Single(summary.SessionsWithoutSpikes);
        Assert.Equal(("silent-1", path, 2), (session.SessionId, session.SourceFile, session.UnitCount));
        Assert.Equal(0, summary.TotalSpikes);

        var strictOutput = _tmp.Combine("strict");
        var e = Assert.Throws<DataFormatException>(() => NwbImporter.Import(new[] { path }, strictOutput, requireSpikes: true));
        Assert.Equal(path, e.File);
        Assert.Contains("session 'silent-1' has no spikes", e.Message);
        Assert.False(Directory.Exists(strictOutput));
    }
}
