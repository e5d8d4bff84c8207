namespace MLNeuro.Loaders.IO;

/// <summary>
/// What an output path may replace, checked before any work starts. A file output never replaces a folder; a folder
/// output never replaces a file, and replaces a folder only when it is empty or holds the marker file of its own kind
/// (a dataset's <c>dataset.json</c>, a report's <c>report.json</c>), so a mistyped <c>--out</c> cannot delete a user's folder.
/// </summary>
internal static class OutputTargets
{
    /// <summary>Marker and description of an MLNeuro dataset folder.</summary>
    public static readonly FolderKind Dataset = new(DatasetLayout.ManifestFile, "an MLNeuro dataset");

    /// <summary>Throws when <paramref name="path"/> is an existing folder (a file is about to be written there).</summary>
    /// <param name="path">The output path.</param>
    /// <param name="label">How errors name the output (e.g. the CLI option).</param>
    public static void CheckFile(string path, string label = "output")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path)) throw new IOException($"{label} '{path}' is a folder; give a file path");
    }

    /// <summary>
    /// Throws when a folder of <paramref name="kind"/> may not be written at <paramref name="path"/>: the path is a file;
    /// or it exists and <paramref name="replace"/> is off; or it is a non-empty folder without the kind's marker.
    /// <paramref name="label"/> names the output in errors.
    /// </summary>
    public static void CheckFolder(string path, FolderKind kind, bool replace, string label = "output folder")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (File.Exists(path)) throw new IOException($"{label} '{path}' is a file, not a folder; refusing to replace it");
        if (!Directory.Exists(path)) return;
        if (!replace) throw new IOException($"{label} '{path}' already exists; choose another or overwrite it (--overwrite)");
        if (!IsReplaceable(path, kind)) throw new IOException($"{label} '{path}' is not {kind.Description}; refusing to replace it");
    }

    /// <summary>True for an empty folder or one holding <paramref name="kind"/>'s marker file.</summary>
    public static bool IsReplaceable(string path, FolderKind kind) =>
        !Directory.EnumerateFileSystemEntries(path).Any() || File.Exists(Path.Combine(path, kind.MarkerFile));
}

/// <summary>A kind of output folder: the file that marks it as MLNeuro's, and how errors name it.</summary>
internal sealed record FolderKind(string MarkerFile, string Description);
