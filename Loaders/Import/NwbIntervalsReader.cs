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
        {
            var startColumn = Hdf5Values.TryDataset(table, "start_time");
            var stopColumn = Hdf5Values.TryDataset(table, "stop_time");
            if (startColumn is null || stopColumn is null) continue;
            var path = $"/intervals/{table.Name}";
            var starts = Hdf5Values.ReadDoubles(startColumn);
            var stops = Hdf5Values.ReadDoubles(stopColumn);
            if (starts.Length != stops.Length)
                throw new DataFormatException(file, $"{starts.Length} start times but {stops.Length} stop times", column: path + "/stop_time");
            var (labels, labelColumn) = ReadLabels(table, starts.Length, file, path);
            var skip = new HashSet<string>(StringComparer.Ordinal) { "id", "start_time", "stop_time", "tags", "tags_index", "timeseries", "timeseries_index" };
            if (labelColumn is not null) skip.Add(labelColumn);
            var columns = NwbTableColumns.Read(table, starts.Length, skip, DatasetLayout.ReservedIntervalColumns);
            for (int i = 0; i < starts.Length; i++)
            {
                if (!double.IsFinite(starts[i]))
                    throw new DataFormatException(file, $"start time {starts[i]} is not a finite number", row: i + 1, column: path + "/start_time");
                if (!double.IsFinite(stops[i]) || stops[i] < starts[i])
                    throw new DataFormatException(file, $"stop time {stops[i]} is not a finite number at or after the start ({starts[i]})", row: i + 1, column: path + "/stop_time");
                Dictionary<string, string?>? metadata = null;
                foreach (var (name, values) in columns)
                    if (values[i] is not null) (metadata ??= new(StringComparer.Ordinal))[name] = values[i];
                result.Add(new Interval(starts[i], stops[i], table.Name, labels?[i]) { Metadata = metadata });
            }
        }
        return result;
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
