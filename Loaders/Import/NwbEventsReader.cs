using System.Globalization;
using PureHDF;

namespace MLNeuro.Loaders.Import;

/// <summary>
/// Reads the event and TTL series under <c>/acquisition</c> as intervals whose kind is the series' name (qualified by
/// its container, e.g. <c>acquisition_BehavioralEvents_ttl</c>, when <c>/intervals</c> or another series already uses
/// the name).
/// </summary>
/// <remarks>
/// <para>What counts as events (searched to two levels, so containers such as BehavioralEvents are looked into):</para>
/// <list type="bullet">
/// <item>TimeIntervals tables (start_time and stop_time columns): one interval per row, read like <c>/intervals</c>.</item>
/// <item>ndx-events EventsTable / TtlsTable (a <c>timestamp</c> column): start = timestamp, end = timestamp +
/// <c>duration</c> when that column holds a number, else a point; label and metadata from the other columns.</item>
/// <item>AnnotationSeries: one point interval (start = end) per annotation, label = its text.</item>
/// <item>ndx-events Events (timestamps only): one point interval per timestamp, no label.</item>
/// <item>ndx-events LabeledEvents and TTLs: one point interval per event, label = <c>labels[value]</c>, else the value.</item>
/// <item>A plain TimeSeries whose name says events (contains "ttl", "event", "trigger", "marker" or "strobe", ignoring
/// case) with 1-D data of whole numbers, read by value as stored (<c>conversion</c> scales physical units, not codes):
/// a series holding only 0 and 1, with both present, is a TTL level: each pulse becomes one interval from the sample
/// where the level rises to 1 to the sample where it falls back to 0 (a pulse still high at the end stops at the last
/// sample), label "1". Any other series holds event codes: every sample whose value is not 0 becomes a point interval
/// labelled with the value, while 0 (the lines returning low, "no code") marks no event.</item>
/// </list>
/// <para>Everything else in <c>/acquisition</c> (voltages, images, analog signals, series with fractional values such as
/// an analog TTL voltage) is not read: those are signals, not events.</para>
/// </remarks>
internal static class NwbEventsReader
{
    private const string AcquisitionPath = "/acquisition";
    private const int MaxDepth = 2;
    private static readonly string[] EventWords = { "ttl", "event", "trigger", "marker", "strobe" };

    /// <summary>The events of the file; kinds in <paramref name="takenKinds"/> (the <c>/intervals</c> tables) are not reused.</summary>
    public static List<Interval> Read(IH5Group root, string file, IEnumerable<string> takenKinds)
    {
        var result = new List<Interval>();
        var acquisition = Hdf5Values.TryGroup(root, AcquisitionPath);
        if (acquisition is null) return result;
        var kinds = new HashSet<string>(takenKinds, StringComparer.Ordinal);
        Visit(acquisition, AcquisitionPath, 0, file, kinds, result);
        return result;
    }

    private static void Visit(IH5Group group, string path, int depth, string file, HashSet<string> kinds, List<Interval> result)
    {
        foreach (var child in group.Children().OfType<IH5Group>().OrderBy(g => g.Name, StringComparer.Ordinal))
        {
            var childPath = $"{path}/{child.Name}";
            var type = Hdf5Values.ReadAttributeString(child, "neurodata_type");
            bool hasData = child.LinkExists("data");
            if (NwbIntervalsReader.IsTimeIntervals(child))
                NwbIntervalsReader.ReadTimeIntervals(child, childPath, KindOf(child.Name, childPath, kinds), file, result);
            else if (Hdf5Values.TryDataset(child, "timestamp") is { } timestamp)
                ReadEventsTable(child, childPath, timestamp, KindOf(child.Name, childPath, kinds), file, result);
            else if (type == "AnnotationSeries" && hasData)
                ReadAnnotations(child, childPath, file, kinds, result);
            else if (!hasData && type == "Events" && child.LinkExists("timestamps"))
                AddPoints(childPath, KindOf(child.Name, childPath, kinds), Hdf5Values.ReadDoubles(Hdf5Values.TryDataset(child, "timestamps")!), null, file, result);
            else if (type is "LabeledEvents" or "TTLs" && hasData)
                ReadLabeledEvents(child, childPath, file, kinds, result);
            else if (hasData && type is null or "TimeSeries" && SaysEvents(child.Name))
                ReadTtlSeries(child, childPath, file, kinds, result);
            else if (!hasData && depth + 1 < MaxDepth)
                Visit(child, childPath, depth + 1, file, kinds, result);
        }
    }

    private static bool SaysEvents(string name) => EventWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase));

    /// <summary>The series' name, or its path made into a name when that kind is already taken; the kind is then taken.</summary>
    private static string KindOf(string name, string path, HashSet<string> kinds)
    {
        var kind = kinds.Contains(name) ? path.TrimStart('/').Replace('/', '_') : name;
        kinds.Add(kind);
        return kind;
    }

    private static void ReadEventsTable(IH5Group table, string path, IH5Dataset timestamp, string kind, string file, List<Interval> result)
    {
        var starts = Hdf5Values.ReadDoubles(timestamp);
        var stops = (double[])starts.Clone();
        var duration = Hdf5Values.TryDataset(table, "duration");
        if (duration is not null && Hdf5Values.IsNumeric(duration.Type))
        {
            var durations = Hdf5Values.ReadDoubles(duration);
            if (durations.Length != starts.Length)
                throw new DataFormatException(file, $"{durations.Length} durations for {starts.Length} timestamps", column: path + "/duration");
            // NaN means "no duration": the event stays a point.
            for (int i = 0; i < starts.Length; i++) if (!double.IsNaN(durations[i])) stops[i] = starts[i] + durations[i];
        }
        NwbIntervalsReader.ReadRows(table, path, kind, starts, stops, "timestamp", "duration", file, result);
    }

    private static void ReadAnnotations(IH5Group series, string path, string file, HashSet<string> kinds, List<Interval> result)
    {
        var data = Hdf5Values.TryDataset(series, "data")!;
        if (!Hdf5Values.IsString(data.Type) || data.Space.Rank != 1) return;
        var text = Hdf5Values.ReadStrings(data);
        var times = NwbSeriesTimestamps.Read(series, path, text.Length, file);
        AddPoints(path, KindOf(series.Name, path, kinds), times, Array.ConvertAll(text, t => string.IsNullOrWhiteSpace(t) ? null : t), file, result);
    }

    private static void ReadLabeledEvents(IH5Group series, string path, string file, HashSet<string> kinds, List<Interval> result)
    {
        var data = Hdf5Values.TryDataset(series, "data")!;
        if (!Hdf5Values.IsNumeric(data.Type) || data.Space.Rank != 1 || data.Type.Class == H5DataTypeClass.FloatingPoint) return;
        var values = Hdf5Values.ReadIntegers(data);
        var names = Hdf5Values.ReadAttributeStrings(series, "labels");
        var times = NwbSeriesTimestamps.Read(series, path, values.Length, file);
        var labels = Array.ConvertAll(values, v =>
            v >= 0 && v < names.Length && !string.IsNullOrWhiteSpace(names[v]) ? names[v] : v.ToString(CultureInfo.InvariantCulture));
        AddPoints(path, KindOf(series.Name, path, kinds), times, labels, file, result);
    }

    /// <summary>A TTL level series (pulses become intervals) or an event-code series (non-zero samples become points).</summary>
    private static void ReadTtlSeries(IH5Group series, string path, string file, HashSet<string> kinds, List<Interval> result)
    {
        var data = Hdf5Values.TryDataset(series, "data")!;
        if (!Hdf5Values.IsNumeric(data.Type) || data.Space.Rank != 1) return;
        var values = Hdf5Values.ReadDoubles(data);
        if (values.Any(v => !double.IsFinite(v) || v != Math.Floor(v))) return;
        var times = NwbSeriesTimestamps.Read(series, path, values.Length, file);
        var kind = KindOf(series.Name, path, kinds);
        bool level = values.All(v => v is 0 or 1) && values.Contains(0) && values.Contains(1);
        if (!level)
        {
            var labels = Array.ConvertAll(values, v => v == 0 ? null : v.ToString(CultureInfo.InvariantCulture));
            for (int i = 0; i < values.Length; i++)
                if (values[i] != 0) result.Add(new Interval(CheckTime(times, i, path, file), times[i], kind, labels[i]));
            return;
        }
        int rise = -1;
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] == 1 && rise < 0) rise = i;
            else if (values[i] == 0 && rise >= 0)
            {
                result.Add(Pulse(times, rise, i, kind, path, file));
                rise = -1;
            }
        }
        if (rise >= 0) result.Add(Pulse(times, rise, values.Length - 1, kind, path, file));
    }

    private static Interval Pulse(double[] times, int rise, int fall, string kind, string path, string file)
    {
        double start = CheckTime(times, rise, path, file), end = CheckTime(times, fall, path, file);
        if (end < start)
            throw new DataFormatException(file, $"the pulse rising at {start} s falls at {end} s, before it rose; timestamps must be ascending",
                row: fall + 1, column: path + "/timestamps");
        return new Interval(start, end, kind, "1");
    }

    private static void AddPoints(string path, string kind, double[] times, string?[]? labels, string file, List<Interval> result)
    {
        for (int i = 0; i < times.Length; i++)
            result.Add(new Interval(CheckTime(times, i, path, file), times[i], kind, labels?[i]));
    }

    private static double CheckTime(double[] times, int i, string path, string file) => double.IsFinite(times[i]) ? times[i]
        : throw new DataFormatException(file, $"event time {times[i]} is not a finite number", row: i + 1, column: path + "/timestamps");
}
