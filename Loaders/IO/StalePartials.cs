using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MLNeuro.Loaders.IO;

/// <summary>
/// Removes the hidden staging entries (<c>.NAME.partial-GUID</c>) that a killed run left beside a target. Only entries
/// that are clearly ours (that exact name pattern, for this target) and older than the running process are removed, so
/// a concurrent run's staging folder and anything a user named alike are left alone.
/// </summary>
internal static class StalePartials
{
    private static readonly DateTime ProcessStartUtc = Process.GetCurrentProcess().StartTime.ToUniversalTime();

    /// <summary>The staging name for <paramref name="targetName"/>: hidden, recognisable, unique.</summary>
    public static string NewName(string targetName) => $".{targetName}.partial-{Guid.NewGuid():N}";

    /// <summary>Deletes stale staging files and folders of <paramref name="targetName"/> in <paramref name="parent"/>; best effort.</summary>
    public static void Sweep(string parent, string targetName)
    {
        if (!Directory.Exists(parent)) return;
        var pattern = new Regex($"^\\.{Regex.Escape(targetName)}\\.partial-[0-9a-f]{{32}}$", RegexOptions.CultureInvariant);
        foreach (var entry in new DirectoryInfo(parent).EnumerateFileSystemInfos($".{targetName}.partial-*"))
        {
            if (!pattern.IsMatch(entry.Name) || !OlderThanProcess(entry)) continue;
            try
            {
                if (entry is DirectoryInfo folder) folder.Delete(recursive: true);
                else entry.Delete();
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    // A staging folder still being filled by another process has recent writes in it; one left by a killed run does not.
    private static bool OlderThanProcess(FileSystemInfo entry)
    {
        if (entry.LastWriteTimeUtc >= ProcessStartUtc) return false;
        if (entry is not DirectoryInfo folder) return true;
        return folder.EnumerateFileSystemInfos("*", SearchOption.AllDirectories).All(e => e.LastWriteTimeUtc < ProcessStartUtc);
    }
}
