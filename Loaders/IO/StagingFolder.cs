namespace MLNeuro.Loaders.IO;

/// <summary>
/// An output folder built beside its target under a hidden name and moved into place by <see cref="Publish"/>.
/// Disposing without publishing (an exception, Ctrl-C) deletes the staging folder; a kill leaves it behind, and the next
/// write to the same target sweeps it (<see cref="StalePartials"/>). The target's previous content stays until the new
/// one is complete.
/// </summary>
internal sealed class StagingFolder : IDisposable
{
    private readonly FolderKind _kind;
    private readonly bool _replace;
    private bool _done;

    private StagingFolder(string target, FolderKind kind, bool replace)
    {
        Target = target;
        _kind = kind;
        _replace = replace;
        var parent = System.IO.Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        StalePartials.Sweep(parent, System.IO.Path.GetFileName(target));
        Path = System.IO.Path.Combine(parent, StalePartials.NewName(System.IO.Path.GetFileName(target)));
        Directory.CreateDirectory(Path);
    }

    /// <summary>Checks the target (see <see cref="OutputTargets.CheckFolder"/>) and creates the empty staging folder.</summary>
    public static StagingFolder Begin(string target, FolderKind kind, bool replace)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        OutputTargets.CheckFolder(target, kind, replace);
        var full = System.IO.Path.GetFullPath(target).TrimEnd(System.IO.Path.DirectorySeparatorChar);
        return new StagingFolder(full, kind, replace);
    }

    /// <summary>The full path of the folder the content appears at.</summary>
    public string Target { get; }

    /// <summary>The staging folder to write into.</summary>
    public string Path { get; }

    /// <summary>Moves the staging folder into place, replacing the target only if it is still replaceable.</summary>
    public void Publish()
    {
        if (_done) throw new InvalidOperationException("the folder was already published or abandoned");
        // Checked again: the target may have appeared, or changed kind, while the content was written.
        if (File.Exists(Target) || Directory.Exists(Target))
        {
            if (!_replace) throw new IOException($"output folder '{Target}' appeared while writing; the new one was not moved into place");
            OutputTargets.CheckFolder(Target, _kind, _replace);
            // Move the old folder aside first, so a failure between the two moves still leaves a complete folder on disk.
            var aside = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Target)!, $".{System.IO.Path.GetFileName(Target)}.old-{Guid.NewGuid():N}");
            Directory.Move(Target, aside);
            Directory.Move(Path, Target);
            Directory.Delete(aside, recursive: true);
        }
        else
        {
            Directory.Move(Path, Target);
        }
        _done = true;
    }

    /// <summary>Deletes the staging folder unless it was published.</summary>
    public void Dispose()
    {
        if (_done) return;
        _done = true;
        try
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover hidden staging folder never looks like a dataset, and the next write sweeps it.
        }
    }
}
