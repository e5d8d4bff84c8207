namespace MLNeuro.TestUtilities;

/// <summary>The clone the tests were built from: the first folder above the test binaries that holds MLNeuro.sln.</summary>
public static class RepositoryRoot
{
    /// <summary>The repository's full path, or null when the binaries do not sit inside a clone.</summary>
    public static string? Path { get; } = Find();

    /// <summary><see cref="Path"/>, or an exception that says what was searched.</summary>
    public static string Required => Path ?? throw new DirectoryNotFoundException(
        $"cannot find MLNeuro.sln in {AppContext.BaseDirectory} or any folder above it; run the tests from a clone of the repository");

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "MLNeuro.sln"))) return dir.FullName;
        }
        return null;
    }
}
