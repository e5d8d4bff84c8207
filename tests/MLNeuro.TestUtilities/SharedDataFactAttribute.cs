namespace MLNeuro.TestUtilities;

/// <summary>
/// A fact that needs large recordings from <c>../shared/data</c>. When one of the named folders is missing the test is
/// skipped with a reason that names it (xunit 2 has no runtime skip, so the check runs at discovery, the way ML.NET's
/// environment-specific facts do).
/// </summary>
/// <example><code>[SharedDataFact("steinmetz2019-subset")] public void Full_subset_imports() { ... }</code></example>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SharedDataFactAttribute : FactAttribute
{
    /// <summary>Skips the test unless every folder in <paramref name="folders"/> exists under <see cref="SharedData.Root"/>.</summary>
    public SharedDataFactAttribute(params string[] folders)
    {
        if (folders.Length == 0) throw new ArgumentException("name at least one shared data folder", nameof(folders));
        Folders = folders;
        if (SharedData.MissingReason(folders) is { } reason) Skip = reason;
    }

    /// <summary>The shared data folders the test reads.</summary>
    public IReadOnlyList<string> Folders { get; }
}
