using PureHDF;

namespace MLNeuro.Loaders.Import;

/// <summary>
/// Reads TimeSeries-like groups under <c>/processing/behavior</c> (including SpatialSeries inside Position, CompassDirection
/// and similar containers) into one <see cref="BehaviorSeries"/>.
/// </summary>
/// <remarks>
/// A <see cref="BehaviorSeries"/> has one clock, while NWB series may each have their own. Rather than resample (which
/// would invent values), the reader groups the series by identical timestamps and keeps the group with the most samples
/// (ties: more channels, then the first found); series on other clocks are dropped. Each column of a series becomes a
/// float channel named after the series: <c>name</c> for 1-D data, <c>name_x</c>/<c>name_y</c>/<c>name_z</c> for 2-D
/// SpatialSeries with 2-3 columns, <c>name_0</c>, <c>name_1</c>... otherwise. Values are scaled by the data's
/// <c>conversion</c> attribute and shifted by its <c>offset</c>, as NWB specifies.
/// </remarks>
internal static class NwbBehaviorReader
{
    private const string BehaviorPath = "/processing/behavior";
    private const int MaxDepth = 4;

    /// <summary>The behaviour of the file, or null when it has none.</summary>
    public static BehaviorSeries? Read(IH5Group root, string file)
    {
        var behavior = Hdf5Values.TryGroup(root, BehaviorPath);
        if (behavior is null) return null;
        var series = new List<Series>();
        Collect(behavior, BehaviorPath, 0, file, series);
        if (series.Count == 0) return null;

        var clocks = new List<List<Series>>();
        foreach (var s in series)
        {
            var clock = clocks.FirstOrDefault(c => c[0].Timestamps.AsSpan().SequenceEqual(s.Timestamps));
            if (clock is null) clocks.Add(new List<Series> { s });
            else clock.Add(s);
        }
        var chosen = clocks.OrderByDescending(c => c[0].Timestamps.Length).ThenByDescending(c => c.Sum(s => s.Names.Length)).First();

        var names = new List<string>();
        var channels = new List<float[]>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in chosen)
        {
            // Two containers may hold series of the same name (Position/pos and EyeTracking/pos): qualify the later one by its path.
            bool clash = s.Names.Any(n => taken.Contains(n));
            for (int c = 0; c < s.Names.Length; c++)
            {
                var name = clash ? s.QualifiedPrefix + s.Names[c] : s.Names[c];
                if (!taken.Add(name)) continue;
                names.Add(name);
                channels.Add(s.Channels[c]);
            }
        }
        try
        {
            return BehaviorSeries.Wrap(chosen[0].Timestamps, names.ToArray(), channels.ToArray());
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException(file, e.Message, column: chosen[0].Path + "/timestamps", inner: e);
        }
    }

    private static void Collect(IH5Group group, string path, int depth, string file, List<Series> found)
    {
        var data = Hdf5Values.TryDataset(group, "data");
        if (data is not null && (group.LinkExists("timestamps") || group.LinkExists("starting_time")))
        {
            var s = ReadSeries(group, path, data, file);
            if (s is not null) found.Add(s);
            return;
        }
        if (depth >= MaxDepth) return;
        foreach (var child in group.Children().OfType<IH5Group>().OrderBy(g => g.Name, StringComparer.Ordinal))
            Collect(child, $"{path}/{child.Name}", depth + 1, file, found);
    }

    /// <summary>One series' timestamps and float channels; null for data the reader cannot use (text, 3-D images).</summary>
    private static Series? ReadSeries(IH5Group group, string path, IH5Dataset data, string file)
    {
        if (!Hdf5Values.IsNumeric(data.Type) || data.Space.Rank is < 1 or > 2) return null;
        int n = checked((int)data.Space.Dimensions[0]);
        int width = data.Space.Rank == 2 ? checked((int)data.Space.Dimensions[1]) : 1;
        var timestamps = ReadTimestamps(group, path, n, file);

        double conversion = Hdf5Values.ReadAttributeDouble(data, "conversion") ?? 1.0;
        double offset = Hdf5Values.ReadAttributeDouble(data, "offset") ?? 0.0;
        var flat = Hdf5Values.ReadDoubles(data);
        var channels = new float[width][];
        for (int c = 0; c < width; c++)
        {
            var values = new float[n];
            for (int i = 0; i < n; i++) values[i] = (float)(flat[(long)i * width + c] * conversion + offset);
            channels[c] = values;
        }

        var name = group.Name;
        bool spatial = Hdf5Values.ReadAttributeString(group, "neurodata_type") == "SpatialSeries";
        var names = width == 1 && data.Space.Rank == 1 ? new[] { name }
            : spatial && width is 2 or 3 ? new[] { "_x", "_y", "_z" }.Take(width).Select(s => name + s).ToArray()
            : Enumerable.Range(0, width).Select(c => $"{name}_{c}").ToArray();
        var relative = path[(BehaviorPath.Length + 1)..];
        var qualifiedPrefix = relative.Contains('/') ? relative[..relative.LastIndexOf('/')].Replace('/', '_') + "_" : "";
        return new Series(path, timestamps, names, channels, qualifiedPrefix);
    }

    /// <summary>The <c>timestamps</c> dataset, or <c>starting_time</c> + i / <c>rate</c> for regularly sampled series.</summary>
    private static double[] ReadTimestamps(IH5Group group, string path, int n, string file)
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

    private sealed record Series(string Path, double[] Timestamps, string[] Names, float[][] Channels, string QualifiedPrefix);
}
