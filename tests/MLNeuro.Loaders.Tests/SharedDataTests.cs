namespace MLNeuro.Loaders.Tests;

/// <summary>
/// How tests find the large recordings outside the repository and how they are skipped without them: a fresh clone must
/// run the whole suite with skips that name what is missing, never fail at discovery.
/// </summary>
public sealed class SharedDataTests
{
    [Fact]
    public void The_environment_variable_wins_even_when_it_names_a_missing_folder()
    {
        Assert.Equal("/nonexistent", SharedData.Locate("/nonexistent", "/clones/mlneuro"));
        Assert.Equal(Path.GetFullPath("/clones/shared/data"), SharedData.Locate(null, "/clones/mlneuro"));
        Assert.Equal(Path.GetFullPath("/clones/shared/data"), SharedData.Locate("", "/clones/mlneuro")); // empty means unset
        Assert.Contains("no-repository", SharedData.Locate(null, null));
    }

    [Fact]
    public void A_missing_folder_is_absent_and_its_skip_reason_names_it()
    {
        Assert.False(SharedData.Has("no-such-recording"));
        Assert.Equal($"needs ../shared/data/no-such-recording (not found at {SharedData.File("no-such-recording")})",
            SharedData.MissingReason("no-such-recording"));
        Assert.Equal(SharedData.MissingReason("no-such-recording"), new SharedDataFactAttribute("no-such-recording").Skip);
        Assert.Equal(SharedData.MissingReason("no-such-recording"), new SharedDataTheoryAttribute("no-such-recording").Skip);
        Assert.Equal(new[] { "no-such-recording" }, new SharedDataFactAttribute("no-such-recording").Folders);
        Assert.Throws<ArgumentException>(() => new SharedDataFactAttribute());
    }

    [Fact]
    public void Only_the_first_missing_folder_is_named_and_present_ones_pass()
    {
        using var tmp = new TempFolder();
        Directory.CreateDirectory(tmp.Combine("recording-a"));
        Assert.Null(SharedData.MissingReason(tmp.Path, ["recording-a"]));
        Assert.Null(SharedData.MissingReason(tmp.Path, []));
        Assert.Equal($"needs ../shared/data/recording-b (not found at {tmp.Combine("recording-b")})",
            SharedData.MissingReason(tmp.Path, ["recording-a", "recording-b", "recording-c"]));
        File.WriteAllText(tmp.Combine("recording-c"), "a file is not a recording folder");
        Assert.NotNull(SharedData.MissingReason(tmp.Path, ["recording-c"]));
    }
}
