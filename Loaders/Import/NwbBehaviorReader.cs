using PureHDF;

namespace MLNeuro.Loaders.Import;

/// <summary>
/// Reads TimeSeries-like groups under <c>/processing/behavior</c> (including SpatialSeries inside Position, CompassDirection
/// and similar containers) into one <see cref="BehaviorSeries"/>.
/// </summary>
/// <remarks>
/// A <see cref="BehaviorSeries"/> has one clock, while NWB series may each have their own. Series with identical
/// timestamps share a clock; when there are several clocks, the table's timestamps are the union of all of them and a
/// channel is NaN at the times its series has no sample (see <see cref="BehaviorClockUnion"/>). Nothing is resampled or
/// interpolated, so every stored sample keeps its exact time and value, and a file whose series share one clock reads
/// exactly as before. Each column of a series becomes a float channel named after the series: <c>name</c> for 1-D
/// data, <c>name_x</c>/<c>name_y</c>/<c>name_z</c> for 2-D SpatialSeries with 2-3 columns, <c>name_0</c>,
/// <c>name_1</c>... otherwise; channels follow the series in path order. Values are scaled by the data's
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

        var clocks = new List<double[]>();
        var clockOf = new int[series.Count];
        for (int i = 0; i < series.Count; i++)
        {
            var stamps = series[i].Timestamps;
            int bad = TimeSearch.FirstUnsortedOrNonFinite(stamps);
            if (bad >= 0)
                throw new DataFormatException(file, $"timestamp {stamps[bad]} is not finite or comes before the one above it; timestamps must be finite and ascending",
                    row: bad + 1, column: series[i].Path + "/timestamps");
            int clock = clocks.FindIndex(c => c.AsSpan().SequenceEqual(stamps));
            if (clock < 0)
            {
                clock = clocks.Count;
                clocks.Add(stamps);
            }
            clockOf[i] = clock;
        }
        // One clock: its samples as they are, without copying (the layout every file had before clocks were merged).
        var union = clocks.Count > 1 ? new BehaviorClockUnion(clocks) : null;

        var names = new List<string>();
        var channels = new List<float[]>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < series.Count; i++)
        {
            var s = series[i];
            // Two containers may hold series of the same name (Position/pos and EyeTracking/pos): qualify the later one by its path.
            bool clash = s.Names.Any(n => taken.Contains(n));
            for (int c = 0; c < s.Names.Length; c++)
            {
                var name = clash ? s.QualifiedPrefix + s.Names[c] : s.Names[c];
                if (!taken.Add(name)) continue;
                names.Add(name);
                channels.Add(union is null ? s.Channels[c] : union.Spread(clockOf[i], s.Channels[c]));
            }
        }
        try
        {
            return BehaviorSeries.Wrap(union?.Timestamps ?? clocks[0], names.ToArray(), channels.ToArray());
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException(file, e.Message, column: BehaviorPath, inner: e);
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
        var timestamps = NwbSeriesTimestamps.Read(group, path, n, file);

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

    private sealed record Series(string Path, double[] Timestamps, string[] Names, float[][] Channels, string QualifiedPrefix);
}
