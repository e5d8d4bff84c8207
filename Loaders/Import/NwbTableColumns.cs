using PureHDF;

namespace MLNeuro.Loaders.Import;

/// <summary>
/// The plain columns of an NWB DynamicTable (units, trials and other interval tables) as text, for metadata: every
/// 1-D column with one scalar value per row. Ragged columns (those with an <c>_index</c> companion) and their indexes
/// are left out, and names that clash with MLNeuro's own columns take an "nwb_" prefix.
/// </summary>
internal static class NwbTableColumns
{
    public static List<(string Name, string?[] Values)> Read(IH5Group table, int rows, IReadOnlySet<string> skip, IReadOnlySet<string> reserved)
    {
        var children = table.Children().OfType<IH5Dataset>().ToList();
        var names = new HashSet<string>(children.Select(c => c.Name), StringComparer.Ordinal);
        var result = new List<(string, string?[])>();
        foreach (var column in children.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var name = column.Name;
            if (skip.Contains(name) || names.Contains(name + "_index")) continue;
            if (Hdf5Values.ReadAttributeString(column, "neurodata_type") == "VectorIndex" || name.EndsWith("_index", StringComparison.Ordinal) && names.Contains(name[..^"_index".Length]))
                continue;
            string?[]? values;
            try
            {
                values = column.Space.Rank == 1 && (long)column.Space.Dimensions[0] == rows ? Hdf5Values.ReadCells(column) : null;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Metadata is optional: a column PureHDF cannot decode (e.g. a compound reference or a variable-length
                // byte sequence) is skipped rather than failing the import of the spikes.
                continue;
            }
            if (values is null) continue;
            result.Add((reserved.Contains(name) ? "nwb_" + name : name, values));
        }
        return result;
    }
}
