using PureHDF;

namespace MLNeuro.Loaders.Import;

/// <summary>
/// Reads every TimeIntervals table under <c>/intervals</c> (trials, epochs, task tables): each row becomes an
/// <see cref="Interval"/> whose kind is the table name and whose label is the table's most label-like text column.
/// </summary>
internal static class NwbIntervalsReader
{
    /// <summary>Text columns that name a row's condition, in order of preference (compared ignoring case).</summary>
    private static readonly string[] LabelColumns = { "label", "condition", "trial_type", "stimulus_name", "stim_name", "name" };

    /// <summary>All intervals of the file (empty when it has no <c>/intervals</c> group).</summary>
    public static List<Interval> Read(IH5Group root, string file)
    {
        var result = new List<Interval>();
        var intervals = Hdf5Values.TryGroup(root, "/intervals");
        if (intervals is null) return result;
        foreach (var table in intervals.Children().OfType<IH5Group>().OrderBy(g => g.Name, StringComparer.Ordinal))
            if (IsTimeIntervals(table)) ReadTimeIntervals(table, $"/intervals/{table.Name}", table.Name, file, result);
        return result;
    }

    /// <summary>True for a group with start_time and stop_time columns (a TimeIntervals table, whatever its neurodata_type says).</summary>
    public static bool IsTimeIntervals(IH5Group table) =>
        Hdf5Values.TryDataset(table, "start_time") is not null && Hdf5Values.TryDataset(table, "stop_time") is not null;

    /// <summary>Adds every row of the TimeIntervals table at <paramref name="path"/> to <paramref name="result"/> as an interval of <paramref name="kind"/>.</summary>
    public static void ReadTimeIntervals(IH5Group table, string path, string kind, string file, List<Interval> result)
    {
        var starts = Hdf5Values.ReadDoubles(Hdf5Values.TryDataset(table, "start_time")!);
        var stops = Hdf5Values.ReadDoubles(Hdf5Values.TryDataset(table, "stop_time")!);
        if (starts.Length != stops.Length)
            throw new DataFormatException(file, $"{starts.Length} start times but {stops.Length} stop times", column: path + "/stop_time");
        ReadRows(table, path, kind, starts, stops, "start_time", "stop_time", file, result);
    }

    /// <summary>
    /// Adds one interval per row of a DynamicTable whose times are already read: <paramref name="starts"/> and
    /// <paramref name="stops"/> (from the columns named <paramref name="startColumn"/> and <paramref name="stopColumn"/>,
    /// which errors name), a label from the table's most label-like text column and its other plain columns as metadata.
    /// </summary>
    public static void ReadRows(IH5Group table, string path, string kind, double[] starts, double[] stops, string startColumn, string stopColumn,
        string file, List<Interval> result)
    {
        var (labels, labelColumn) = ReadLabels(table, starts.Length, file, path);
        var skip = new HashSet<string>(StringComparer.Ordinal) { "id", startColumn, stopColumn, "tags", "tags_index", "timeseries", "timeseries_index" };
        if (labelColumn is not null) skip.Add(labelColumn);
        var columns = NwbTableColumns.Read(table, starts.Length, skip, DatasetLayout.ReservedIntervalColumns);
        for (int i = 0; i < starts.Length; i++)
        {
            if (!double.IsFinite(starts[i]))
                throw new DataFormatException(file, $"start time {starts[i]} is not a finite number", row: i + 1, column: $"{path}/{startColumn}");
            if (!double.IsFinite(stops[i]) || stops[i] < starts[i])
                throw new DataFormatException(file, $"stop time {stops[i]} is not a finite number at or after the start ({starts[i]})", row: i + 1, column: $"{path}/{stopColumn}");
            Dictionary<string, string?>? metadata = null;
            foreach (var (name, values) in columns)
                if (values[i] is not null) (metadata ??= new(StringComparer.Ordinal))[name] = values[i];
            result.Add(new Interval(starts[i], stops[i], kind, labels?[i]) { Metadata = metadata });
        }
    }

    /// <summary>
    /// Labels from the first text column that fits: a conventional name (<see cref="LabelColumns"/>), else the first
    /// text column in <c>colnames</c> order, else the NWB <c>tags</c> ragged column joined with commas. Null when none.
    /// </summary>
    private static (string?[]? Labels, string? Column) ReadLabels(IH5Group table, int rows, string file, string path)
    {
        var datasets = table.Children().OfType<IH5Dataset>().ToDictionary(d => d.Name, StringComparer.Ordinal);
        bool IsTextColumn(string name) => datasets.TryGetValue(name, out var d) && !datasets.ContainsKey(name + "_index")
            && d.Space.Rank == 1 && (long)d.Space.Dimensions[0] == rows && Hdf5Values.IsString(d.Type);

        var ordered = Hdf5Values.ReadAttributeStrings(table, "colnames")
            .Concat(datasets.Keys.Order(StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        var pick = LabelColumns.Select(l => ordered.FirstOrDefault(c => string.Equals(c, l, StringComparison.OrdinalIgnoreCase)))
            .FirstOrDefault(c => c is not null && IsTextColumn(c))
            ?? ordered.FirstOrDefault(IsTextColumn);
        if (pick is not null)
            return (Array.ConvertAll(Hdf5Values.ReadStrings(datasets[pick]), s => string.IsNullOrWhiteSpace(s) ? null : s), pick);

        if (datasets.TryGetValue("tags", out var tags) && datasets.TryGetValue("tags_index", out var tagsIndex) && Hdf5Values.IsString(tags.Type))
        {
            var values = Hdf5Values.ReadStrings(tags);
            var index = NwbRaggedIndex.Read(tagsIndex, values.Length, file, path + "/tags_index");
            if (index.RowCount != rows) return (null, null);
            return (Enumerable.Range(0, rows).Select(r =>
            {
                var (start, end) = index.Row(r);
                return end > start ? string.Join(",", values[start..end]) : null;
            }).ToArray(), null);
        }
        return (null, null);
    }
}
