namespace MLNeuro.Cli.Output;

/// <summary>
/// Writes an output folder atomically: files go to a hidden folder beside the target, which replaces the target only
/// once every file is written, so an interrupted run leaves the previous folder as it was.
/// </summary>
internal static class AtomicFolder
{
    /// <summary>Runs <paramref name="write"/> with the path of an empty staging folder, then publishes it at <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> write)
    {
        var full = Path.GetFullPath(path);
        var parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        var name = Path.GetFileName(full);
        var staging = Path.Combine(parent, $".{name}.partial-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            write(staging);
            if (Directory.Exists(full))
            {
                // Two renames, so the target is missing only between them, and never half-written.
                var old = Path.Combine(parent, $".{name}.old-{Guid.NewGuid():N}");
                Directory.Move(full, old);
                Directory.Move(staging, full);
                Directory.Delete(old, recursive: true);
            }
            else
            {
                Directory.Move(staging, full);
            }
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }
}
