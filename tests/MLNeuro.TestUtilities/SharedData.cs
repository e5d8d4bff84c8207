namespace MLNeuro.TestUtilities;

/// <summary>
/// Paths of the large real recordings that live outside the repository, in <c>../shared/data</c> next to the clone
/// (or wherever <see cref="EnvironmentVariable"/> points). CI has them; a fresh clone does not, so tests that read them
/// use <see cref="SharedDataFactAttribute"/> or <see cref="SharedDataTheoryAttribute"/> and are skipped there.
/// </summary>
public static class SharedData
{
    /// <summary>Overrides the location of the shared data folder. Pointing it at a missing folder marks the data absent.</summary>
    public const string EnvironmentVariable = "MLNEURO_SHARED_DATA";

    /// <summary>The shared data folder (it may not exist).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path inside the shared data folder.</summary>
    public static string File(params string[] parts) => Path.Combine(new[] { Root }.Concat(parts).ToArray());

    /// <summary>True when the named recording folder (e.g. <c>steinmetz2019-subset</c>) is present.</summary>
    public static bool Has(string folder) => Directory.Exists(File(folder));

    /// <summary>Why a test that needs <paramref name="folders"/> cannot run here, or null when all of them are present.</summary>
    public static string? MissingReason(params string[] folders) => MissingReason(Root, folders);

    /// <summary><see cref="MissingReason(string[])"/> for a shared data folder at <paramref name="root"/>.</summary>
    internal static string? MissingReason(string root, IEnumerable<string> folders) =>
        folders.Select(f => (Name: f, Path: Path.Combine(root, f))).FirstOrDefault(f => !Directory.Exists(f.Path)) is { Name: not null } missing
            ? $"needs ../shared/data/{missing.Name} (not found at {missing.Path})"
            : null;

    private static string FindRoot() => Locate(Environment.GetEnvironmentVariable(EnvironmentVariable), RepositoryRoot.Path);

    /// <summary>The shared data folder given the environment variable's value and the repository root (either may be null).</summary>
    internal static string Locate(string? environment, string? repository)
    {
        if (!string.IsNullOrEmpty(environment)) return Path.GetFullPath(environment);
        // Outside a clone there is no "next to the repository": name a folder that cannot exist so the data reads as absent.
        return repository is not null
            ? Path.GetFullPath(Path.Combine(repository, "..", "shared", "data"))
            : Path.Combine(AppContext.BaseDirectory, "no-repository", "shared", "data");
    }
}
