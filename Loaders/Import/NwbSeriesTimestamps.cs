using PureHDF;

namespace MLNeuro.Loaders.Import;

/// <summary>The sample times of an NWB TimeSeries: its <c>timestamps</c> dataset, or <c>starting_time</c> + i / <c>rate</c>.</summary>
internal static class NwbSeriesTimestamps
{
    /// <summary>
    /// The <paramref name="n"/> sample times of the series at <paramref name="path"/>; a count that does not match the
    /// data, a missing clock or a rate that is not a positive number is a <see cref="DataFormatException"/>.
    /// </summary>
    public static double[] Read(IH5Group group, string path, int n, string file)
    {
        var stamps = Hdf5Values.TryDataset(group, "timestamps");
        if (stamps is not null)
        {
            var t = Hdf5Values.ReadDoubles(stamps);
            if (t.Length != n)
                throw new DataFormatException(file, $"{t.Length} timestamps for {n} data rows", column: path + "/timestamps");
            return t;
        }
        var start = Hdf5Values.TryDataset(group, "starting_time")
            ?? throw new DataFormatException(file, "the series has neither timestamps nor starting_time", column: path);
        double t0 = Hdf5Values.ReadDoubles(start)[0];
        double rate = Hdf5Values.ReadAttributeDouble(start, "rate") ?? double.NaN;
        if (!(rate > 0) || !double.IsFinite(rate))
            throw new DataFormatException(file, $"starting_time has rate {rate}; a positive sampling rate in Hz is needed", column: path + "/starting_time");
        var times = new double[n];
        for (int i = 0; i < n; i++) times[i] = t0 + i / rate;
        return times;
    }
}
