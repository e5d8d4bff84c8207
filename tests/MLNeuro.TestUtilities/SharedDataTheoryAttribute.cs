namespace MLNeuro.TestUtilities;

/// <summary>The theory counterpart of <see cref="SharedDataFactAttribute"/>: the whole theory is skipped when a folder is missing.</summary>
/// <example><code>[SharedDataTheory("rat-hippocampus-nelpy")] [InlineData("w-maze")] public void Session_imports(string session) { ... }</code></example>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SharedDataTheoryAttribute : TheoryAttribute
{
    /// <summary>Skips the theory unless every folder in <paramref name="folders"/> exists under <see cref="SharedData.Root"/>.</summary>
    public SharedDataTheoryAttribute(params string[] folders)
    {
        if (folders.Length == 0) throw new ArgumentException("name at least one shared data folder", nameof(folders));
        Folders = folders;
        if (SharedData.MissingReason(folders) is { } reason) Skip = reason;
    }

    /// <summary>The shared data folders the theory reads.</summary>
    public IReadOnlyList<string> Folders { get; }
}
