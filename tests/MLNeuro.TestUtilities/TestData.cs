namespace MLNeuro.TestUtilities;

/// <summary>
/// Paths of the small real recordings committed in <c>tests/data/</c> (a few MB in all, each folder with a README giving
/// source, licence and how it was cut). Every clone has them, so tests that use them always run.
/// </summary>
public static class TestData
{
    /// <summary>The <c>tests/data</c> folder of the repository.</summary>
    public static string Root { get; } = System.IO.Path.Combine(RepositoryRoot.Required, "tests", "data");

    /// <summary>A file of a fixture folder, e.g. <c>TestData.File("human-mtl-dandi000207", "expected_units.csv")</c>; it must exist.</summary>
    public static string File(string folder, string name)
    {
        var path = System.IO.Path.Combine(Root, folder, name);
        // A missing fixture is a broken clone, not an absent optional download: fail loudly instead of skipping.
        if (!System.IO.File.Exists(path)) throw new FileNotFoundException($"test fixture {folder}/{name} is missing from {Root}", path);
        return path;
    }
}
