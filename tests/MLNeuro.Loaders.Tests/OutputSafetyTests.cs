using MLNeuro.Loaders.IO;

namespace MLNeuro.Loaders.Tests;

/// <summary>No write may destroy a user's data: what an output may replace, and the leftovers of killed runs.</summary>
public sealed class OutputSafetyTests
{
    private static void WriteSmallDataset(string path, bool overwrite = false)
    {
        using var writer = DatasetWriter.Create(path, new DatasetWriterOptions { Overwrite = overwrite });
        writer.WriteRecording(DatasetRoundTripTests.SmallRecording());
        writer.Commit();
    }

    [Fact]
    public void Overwrite_refuses_a_folder_that_is_not_a_dataset_and_leaves_it_untouched()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("thesis");
        Directory.CreateDirectory(Path.Combine(path, "chapters"));
        File.WriteAllText(Path.Combine(path, "chapters", "one.tex"), "years of work");

        var e = Assert.Throws<IOException>(() => WriteSmallDataset(path, overwrite: true));
        Assert.Contains("not an MLNeuro dataset; refusing to replace it", e.Message);
        Assert.Equal("years of work", File.ReadAllText(Path.Combine(path, "chapters", "one.tex")));
        Assert.Single(Directory.GetFileSystemEntries(tmp.Path)); // no staging folder left beside it
    }

    [Fact]
    public void Overwrite_fills_an_empty_folder()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("empty");
        Directory.CreateDirectory(path);
        WriteSmallDataset(path, overwrite: true);
        Assert.Single(NeuralDataset.Open(path).Sessions);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_regular_file_at_the_output_path_is_refused_before_any_work(bool overwrite)
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("notes.txt");
        File.WriteAllText(path, "keep me");
        var e = Assert.Throws<IOException>(() => DatasetWriter.Create(path, new DatasetWriterOptions { Overwrite = overwrite }));
        Assert.Contains("is a file, not a folder; refusing to replace it", e.Message);
        Assert.Equal("keep me", File.ReadAllText(path));
        Assert.Single(Directory.GetFileSystemEntries(tmp.Path));
    }

    [Fact]
    public void A_file_output_never_replaces_a_folder()
    {
        using var tmp = new TempFolder();
        var folder = tmp.Combine("features.parquet");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "inside.txt"), "x");
        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(folder, "table"));
        Assert.Contains("is a folder; give a file path", e.Message);
        Assert.True(File.Exists(Path.Combine(folder, "inside.txt")));
    }

    [Fact]
    public void Stale_staging_entries_of_the_same_target_are_swept_and_nothing_else()
    {
        using var tmp = new TempFolder();
        var target = tmp.Combine("ds");
        var longAgo = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        var killed = tmp.Combine($".ds.partial-{Guid.NewGuid():N}"); // left by a killed import: ours, old
        Directory.CreateDirectory(Path.Combine(killed, "spikes"));
        File.WriteAllText(Path.Combine(killed, "spikes", "s1.parquet"), "half");
        foreach (var entry in new DirectoryInfo(killed).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)) entry.LastWriteTimeUtc = longAgo;
        Directory.SetLastWriteTimeUtc(killed, longAgo);
        var killedFile = tmp.Combine($".ds.partial-{Guid.NewGuid():N}"); // a killed atomic file write
        File.WriteAllText(killedFile, "half");
        File.SetLastWriteTimeUtc(killedFile, longAgo);

        var running = tmp.Combine($".ds.partial-{Guid.NewGuid():N}"); // written now: maybe another run's, kept
        Directory.CreateDirectory(running);
        var userNamed = tmp.Combine(".ds.partial-mine"); // not our pattern, kept
        Directory.CreateDirectory(userNamed);
        Directory.SetLastWriteTimeUtc(userNamed, longAgo);
        var otherTarget = tmp.Combine($".other.partial-{Guid.NewGuid():N}"); // another target's, kept
        Directory.CreateDirectory(otherTarget);
        Directory.SetLastWriteTimeUtc(otherTarget, longAgo);

        WriteSmallDataset(target);

        Assert.False(Directory.Exists(killed));
        Assert.False(File.Exists(killedFile));
        Assert.True(Directory.Exists(running));
        Assert.True(Directory.Exists(userNamed));
        Assert.True(Directory.Exists(otherTarget));
        Assert.Single(NeuralDataset.Open(target).Sessions);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../elsewhere/s1.parquet")]
    [InlineData("spikes/../../s1.parquet")]
    [InlineData("")]
    public void Manifest_paths_must_stay_inside_the_dataset(string spikesFile)
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("ds");
        WriteSmallDataset(path);
        var manifest = Path.Combine(path, "dataset.json");
        var json = File.ReadAllText(manifest);
        Assert.Contains("\"spikes_file\": \"spikes/s1.parquet\"", json);
        File.WriteAllText(manifest, json.Replace("\"spikes_file\": \"spikes/s1.parquet\"", $"\"spikes_file\": \"{spikesFile}\""));

        var e = Assert.Throws<DataFormatException>(() => NeuralDataset.Open(path));
        Assert.Contains("dataset.json", e.Message);
        Assert.Contains("spikes_file", e.Message);
        Assert.Contains("inside the dataset folder", e.Message);
    }
}
