namespace MLNeuro.Loaders.IO;

/// <summary>Writes an output folder in one go through a <see cref="StagingFolder"/>.</summary>
internal static class AtomicFolder
{
    /// <summary>
    /// Runs <paramref name="write"/> with an empty staging folder, then publishes it at <paramref name="path"/>,
    /// replacing an earlier folder of the same <paramref name="kind"/> (or an empty one), never anything else.
    /// </summary>
    public static void Write(string path, FolderKind kind, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var staging = StagingFolder.Begin(path, kind, replace: true);
        write(staging.Path);
        staging.Publish();
    }
}
