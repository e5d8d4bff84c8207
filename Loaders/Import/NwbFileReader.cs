using PureHDF;
using PureHDF.VOL.Native;

namespace MLNeuro.Loaders.Import;

/// <summary>
/// Opens one NWB file, checks that it is NWB with a units table, and assembles its units, spikes, behaviour and
/// intervals into a <see cref="Recording"/>. Every problem with the file surfaces as a <see cref="DataFormatException"/>.
/// </summary>
internal static class NwbFileReader
{
    /// <summary>What <see cref="NwbImporter.Import"/> records besides the recording.</summary>
    public sealed record Result(Recording Recording, string? NwbVersion);

    /// <summary>Reads a file; <paramref name="sessionId"/> overrides the id stored in it.</summary>
    public static Result Read(string path, string? sessionId)
    {
        InputPaths.RequireFile(path, "NWB file", article: "an");
        using var file = Open(path);
        try
        {
            return ReadOpen(file, path, sessionId);
        }
        catch (Exception e) when (e is not DataFormatException and not OutOfMemoryException and not OperationCanceledException)
        {
            // PureHDF reports corrupt or unsupported structures with plain exceptions; name the file so the user knows which one.
            throw new DataFormatException(path, $"could not be read as NWB: {e.Message}", inner: e);
        }
    }

    private static NativeFile Open(string path)
    {
        try
        {
            return H5File.OpenRead(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not UnauthorizedAccessException)
        {
            throw new DataFormatException(path, $"not an NWB file: it is not HDF5 ({e.Message})", inner: e);
        }
    }

    private static Result ReadOpen(IH5Group root, string path, string? sessionId)
    {
        var version = Hdf5Values.ReadAttributeString(root, "nwb_version");
        bool nwb = version is not null || Hdf5Values.ReadAttributeString(root, "neurodata_type") == "NWBFile";
        var units = Hdf5Values.TryGroup(root, "/units");
        if (units is null)
            throw new DataFormatException(path, nwb
                ? "the NWB file has no /units table, so there are no sorted spikes to import"
                : "not an NWB file: it is HDF5 but has no 'nwb_version' attribute on the root group and no /units table");
        // A /units table without NWB markers (a hand-made HDF5 export) is read anyway: the layout is what matters.

        var subject = Hdf5Values.ReadScalarString(root, "/general/subject/subject_id") ?? "unknown";
        var session = string.IsNullOrWhiteSpace(sessionId) ? SessionIdOf(root, path) : sessionId;
        var builder = new RecordingBuilder(session, subject);
        NwbUnitsReader.Read(root, units, path, builder);
        var behavior = NwbBehaviorReader.Read(root, path);
        if (behavior is not null) builder.SetBehavior(behavior);
        var intervals = NwbIntervalsReader.Read(root, path);
        foreach (var interval in intervals) builder.AddInterval(interval);
        foreach (var e in NwbEventsReader.Read(root, path, intervals.Select(i => i.Kind))) builder.AddInterval(e);
        // The domain runs from the earliest to the latest spike, sample or interval (RecordingBuilder's default).
        return new Result(builder.Build(), version);
    }

    /// <summary>
    /// <c>/identifier</c> first, because NWB requires it and means it to be unique per file (a dataset needs unique
    /// session ids, while <c>/general/session_id</c> is often a per-subject number such as "4"); then
    /// <c>/general/session_id</c>; then the file name without extension.
    /// </summary>
    private static string SessionIdOf(IH5Group root, string path) =>
        Hdf5Values.ReadScalarString(root, "/identifier")
        ?? Hdf5Values.ReadScalarString(root, "/general/session_id")
        ?? Path.GetFileNameWithoutExtension(path);
}
