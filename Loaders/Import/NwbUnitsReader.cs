using PureHDF;
using PureHDF.VOL.Native;

namespace MLNeuro.Loaders.Import;

/// <summary>
/// Reads the NWB <c>/units</c> table into a <see cref="RecordingBuilder"/>: one unit per row in file order, its spikes from
/// the ragged <c>spike_times</c> column, its brain region, its cell type and its other one-value-per-unit columns.
/// </summary>
internal static class NwbUnitsReader
{
    private const string ElectrodesTable = "/general/extracellular_ephys/electrodes";
    private const string ElectrodeGroups = "/general/extracellular_ephys";

    /// <summary>Adds every unit of <paramref name="units"/> and its spikes to <paramref name="builder"/>.</summary>
    public static void Read(IH5Group root, IH5Group units, string file, RecordingBuilder builder)
    {
        var spikeColumn = Hdf5Values.TryDataset(units, "spike_times")
            ?? throw new DataFormatException(file, "the /units table has no spike_times column", column: "/units/spike_times");
        var spikeIndexColumn = Hdf5Values.TryDataset(units, "spike_times_index")
            ?? throw new DataFormatException(file, "the /units table has spike_times but no spike_times_index", column: "/units/spike_times_index");
        if (spikeColumn.Type.Class != H5DataTypeClass.FloatingPoint && spikeColumn.Type.Class != H5DataTypeClass.FixedPoint)
            throw new DataFormatException(file, $"spike times must be numbers, not HDF5 class {spikeColumn.Type.Class}", column: "/units/spike_times");
        var spikeTimes = Hdf5Values.ReadDoubles(spikeColumn);
        var index = NwbRaggedIndex.Read(spikeIndexColumn, spikeTimes.Length, file, "/units/spike_times_index");
        int unitCount = index.RowCount;
        for (int i = 0; i < spikeTimes.Length; i++)
            if (!double.IsFinite(spikeTimes[i]))
                throw new DataFormatException(file, $"spike time {spikeTimes[i]} is not a finite number", row: i + 1, column: "/units/spike_times");

        var ids = ReadUnitIds(units, unitCount);
        var (regions, regionColumn) = ReadRegions(root, units, unitCount, index, file);
        var cellTypes = ReadColumn(units, "cell_type", unitCount);
        var skip = new HashSet<string>(StringComparer.Ordinal) { "id", "spike_times", "spike_times_index", "cell_type" };
        if (regionColumn is not null) skip.Add(regionColumn);
        var metadata = NwbTableColumns.Read(units, unitCount, skip, DatasetLayout.ReservedUnitColumns);

        for (int u = 0; u < unitCount; u++)
        {
            var meta = metadata.Count == 0 ? null : metadata.ToDictionary(c => c.Name, c => c.Values[u], StringComparer.Ordinal);
            int unit;
            try
            {
                unit = builder.AddUnit(new UnitInfo(ids[u], regions?[u], Blank(cellTypes?[u]), meta));
            }
            catch (ArgumentException e)
            {
                throw new DataFormatException(file, $"unit id '{ids[u]}' appears more than once", row: u + 1, column: "/units/id", inner: e);
            }
            var (start, end) = index.Row(u);
            builder.AddSpikes(unit, spikeTimes.AsSpan(start, end - start));
        }
    }

    /// <summary>Unit ids from <c>/units/id</c> as strings; the row index when the column is missing or a value is empty.</summary>
    private static string[] ReadUnitIds(IH5Group units, int unitCount)
    {
        var ids = ReadColumn(units, "id", unitCount);
        var result = new string[unitCount];
        for (int u = 0; u < unitCount; u++)
            result[u] = Blank(ids?[u]) ?? u.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return result;
    }

    /// <summary>
    /// Brain region per unit: a <c>brain_region</c> or <c>location</c> column of the units table when there is one,
    /// else the location of the unit's electrode. Returns the regions (null when the file has none) and the units-table
    /// column they came from, so that column is not repeated as metadata.
    /// </summary>
    private static (string?[]? Regions, string? Column) ReadRegions(IH5Group root, IH5Group units, int unitCount, NwbRaggedIndex spikes, string file)
    {
        foreach (var name in new[] { "brain_region", "location" })
        {
            var own = ReadColumn(units, name, unitCount);
            if (own is not null) return (Array.ConvertAll(own, Blank), name);
        }
        var electrodes = Hdf5Values.TryDataset(units, "electrodes");
        if (electrodes is null || !Hdf5Values.IsNumeric(electrodes.Type)) return (null, null);
        var table = ElectrodesTableOf(root, electrodes, file);
        if (table is null) return (null, null);
        var locations = ElectrodeLocations(root, table);
        if (locations is null) return (null, null);

        // electrodes is a DynamicTableRegion: its values are row numbers of the electrodes table, not electrode ids.
        var rows = Hdf5Values.ReadIntegers(electrodes);
        var electrodesIndex = Hdf5Values.TryDataset(units, "electrodes_index");
        var ragged = electrodesIndex is null ? null : NwbRaggedIndex.Read(electrodesIndex, rows.Length, file, "/units/electrodes_index");
        if ((ragged?.RowCount ?? rows.Length) != unitCount)
            throw new DataFormatException(file, $"the electrodes column has {ragged?.RowCount ?? rows.Length} rows for {unitCount} units", column: "/units/electrodes");
        var regions = new string?[unitCount];
        for (int u = 0; u < unitCount; u++)
        {
            // A unit seen on several electrodes (a tetrode, a probe) takes the region of its first electrode: NWB writers
            // list the unit's main channel first, and the electrodes of one unit share a region in practice.
            int at = ragged is null ? u : ragged.Row(u).Start;
            if (ragged is not null && ragged.Row(u).End == at) continue;
            long row = rows[at];
            if (row < 0 || row >= locations.Length)
                throw new DataFormatException(file, $"electrode row {row} is outside the electrodes table ({locations.Length} rows)", row: u + 1, column: "/units/electrodes");
            regions[u] = Blank(locations[row]);
        }
        return (regions, null);
    }

    /// <summary>
    /// The table the units' <c>electrodes</c> column indexes: the object its <c>table</c> attribute references (NWB
    /// stores a DynamicTableRegion's target that way, so the table may live anywhere in the file), else the standard
    /// <c>/general/extracellular_ephys/electrodes</c>. Null when neither exists.
    /// </summary>
    private static IH5Group? ElectrodesTableOf(IH5Group root, IH5Dataset electrodes, string file)
    {
        var referenced = Hdf5Values.ReadReferencedObject(root, electrodes, "table", file, "/units/electrodes");
        if (referenced is null) return Hdf5Values.TryGroup(root, ElectrodesTable);
        return referenced as IH5Group ?? throw new DataFormatException(file,
            $"the 'table' attribute of the electrodes column references '{referenced.Name}', which is a dataset, not an electrodes table",
            column: "/units/electrodes");
    }

    /// <summary>
    /// Location of every electrode row: the table's <c>location</c> column, else the <c>location</c> attribute of the
    /// electrode's group (NWB requires one on every ElectrodeGroup), found through the table's <c>group</c> column of
    /// object references or, failing that, by <c>group_name</c> under <c>/general/extracellular_ephys</c>.
    /// </summary>
    private static string?[]? ElectrodeLocations(IH5Group root, IH5Group table)
    {
        var location = Hdf5Values.TryDataset(table, "location");
        if (location is not null && Hdf5Values.IsString(location.Type)) return Hdf5Values.ReadStrings(location);
        var groups = Hdf5Values.TryDataset(table, "group");
        if (groups is not null && groups.Type.Class == H5DataTypeClass.Reference && root is NativeGroup native)
        {
            var locationOf = new Dictionary<NativeObjectReference1, string?>();
            return groups.Read<NativeObjectReference1[]>().Select(r =>
            {
                if (!locationOf.TryGetValue(r, out var value))
                    locationOf[r] = value = ResolveGroup(native, r) is { } g ? Hdf5Values.ReadAttributeString(g, "location") : null;
                return value;
            }).ToArray();
        }
        var groupName = Hdf5Values.TryDataset(table, "group_name");
        if (groupName is null || !Hdf5Values.IsString(groupName.Type)) return null;
        return Hdf5Values.ReadStrings(groupName).Select(g =>
        {
            var group = Hdf5Values.TryGroup(root, $"{ElectrodeGroups}/{g}");
            return group is null ? null : Hdf5Values.ReadAttributeString(group, "location");
        }).ToArray();
    }

    /// <summary>The ElectrodeGroup a reference points to, or null when it cannot be resolved (regions are optional).</summary>
    private static IH5Group? ResolveGroup(NativeGroup root, NativeObjectReference1 reference)
    {
        try
        {
            return root.Get(reference) as IH5Group;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    /// <summary>A 1-D scalar column with exactly one value per unit as strings, or null when absent or of another shape or type.</summary>
    private static string?[]? ReadColumn(IH5Group units, string name, int unitCount)
    {
        var d = Hdf5Values.TryDataset(units, name);
        if (d is null || d.Space.Rank != 1 || (long)d.Space.Dimensions[0] != unitCount) return null;
        return Hdf5Values.ReadCells(d);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
