namespace MLNeuro.Loaders;

/// <summary>
/// Checks that an input path is the kind of thing expected before it is opened, so a folder given where a file is
/// expected (or the reverse) is reported as such rather than as "access denied" or "does not exist".
/// </summary>
internal static class InputPaths
{
    /// <summary>
    /// Throws <see cref="FileNotFoundException"/> unless <paramref name="path"/> is an existing file; the message says
    /// when it is a folder. <paramref name="what"/> names the expected file, e.g. "model artifact (zip file)", and
    /// <paramref name="article"/> is its indefinite article ("an NWB file").
    /// </summary>
    public static void RequireFile(string path, string what, string article = "a")
    {
        if (File.Exists(path)) return;
        if (Directory.Exists(path)) throw new FileNotFoundException($"'{path}' is a folder, not {article} {what}", path);
        throw new FileNotFoundException($"{what} '{path}' does not exist", path);
    }

    /// <summary>
    /// Throws <see cref="DirectoryNotFoundException"/> unless <paramref name="path"/> is an existing folder; the message
    /// says when it is a file (and, for a file inside the expected folder such as dataset.json, which folder to give).
    /// </summary>
    public static void RequireFolder(string path, string what, string? expectedFileInside = null)
    {
        if (Directory.Exists(path)) return;
        if (File.Exists(path))
        {
            var parent = Path.GetDirectoryName(Path.GetFullPath(path));
            bool isMarker = expectedFileInside is not null && string.Equals(Path.GetFileName(path), expectedFileInside, StringComparison.Ordinal);
            var hint = isMarker ? $"; give the folder that holds it ('{parent}')" : "";
            throw new DirectoryNotFoundException($"'{path}' is a file, not a {what}{hint}");
        }
        throw new DirectoryNotFoundException($"{what} '{path}' does not exist");
    }
}
