using PureHDF;

namespace MLNeuro.Loaders.Tests;

/// <summary>Small NWB-shaped HDF5 files written with PureHDF, each test adding exactly the structure its case needs.</summary>
internal static class NwbTestFiles
{
    /// <summary>
    /// An NWB file with two units (spikes at 0.1, 0.3 and 0.5, 0.9 s) and whatever <paramref name="first"/> adds. PureHDF
    /// writes objects in insertion order and stores a reference to an object not written yet as 0 (a dangling
    /// reference), so groups that /units references must be added through <paramref name="first"/>.
    /// </summary>
    public static H5File TwoUnits(Action<H5File>? first = null)
    {
        var file = new H5File { Attributes = new() { ["nwb_version"] = "2.7.0", ["neurodata_type"] = "NWBFile" } };
        first?.Invoke(file);
        file["identifier"] = "structure-1";
        file["units"] = new H5Group
        {
            ["id"] = new long[] { 0, 1 },
            ["spike_times"] = new[] { 0.1, 0.3, 0.5, 0.9 },
            ["spike_times_index"] = new long[] { 2, 4 },
        };
        return file;
    }

    /// <summary>A TimeSeries group with <paramref name="data"/> at explicit <paramref name="timestamps"/>.</summary>
    public static H5Group Series(Array data, double[] timestamps, string neurodataType = "TimeSeries") => new()
    {
        Attributes = new() { ["neurodata_type"] = neurodataType },
        ["data"] = data,
        ["timestamps"] = timestamps,
    };

    /// <summary>Writes <paramref name="file"/> into <paramref name="folder"/> and reads it back as a recording.</summary>
    public static Recording WriteAndRead(H5File file, TempFolder folder, string name = "structure.nwb")
    {
        var path = folder.Combine(name);
        file.Write(path);
        return MLNeuro.Loaders.Import.NwbImporter.ReadRecording(path);
    }
}
