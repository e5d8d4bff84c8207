namespace MLNeuro.Loaders.IO;

/// <summary>
/// Writes a file atomically: a hidden temporary file beside the target (flushed to disk), renamed over it when
/// complete, so an interrupted write leaves the previous file as it was. Never replaces a folder.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> as UTF-8.</summary>
    public static void WriteAllText(string path, string text) => Write(path, temp => File.WriteAllText(temp, text));

    /// <summary>Writes <paramref name="bytes"/>.</summary>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, temp => File.WriteAllBytes(temp, bytes));

    /// <summary>Runs <paramref name="writeTemp"/> with the temporary file's path, then renames it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> writeTemp)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(writeTemp);
        var full = Path.GetFullPath(path);
        OutputTargets.CheckFile(full);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var name = Path.GetFileName(full);
        StalePartials.Sweep(folder, name);
        var temp = Path.Combine(folder, StalePartials.NewName(name));
        try
        {
            writeTemp(temp);
            using (var stream = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite)) stream.Flush(flushToDisk: true);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
