namespace MLNeuro.Loaders.Views;

/// <summary>
/// The unit-metadata columns of a dataset. They are read from the units.parquet schema rather than from the units'
/// values, because a column whose values are all null is still a column of the dataset (and of the view).
/// </summary>
internal static class UnitMetadataColumns
{
    public static IReadOnlyList<string> Of(NeuralDataset dataset)
    {
        var file = Path.Combine(dataset.Path, DatasetLayout.UnitsFile);
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var reader = ParquetIo.OpenReader(file);
        using (ParquetIo.Disposing(reader))
        {
            foreach (var field in reader.Schema.DataFields)
                if (!DatasetLayout.ReservedUnitColumns.Contains(field.Name) && seen.Add(field.Name)) names.Add(field.Name);
        }
        // Values the reader kept but the schema does not list cannot occur today; keep them anyway rather than drop data.
        foreach (var unit in dataset.Units)
            if (unit.Unit.Metadata is not null)
                foreach (var key in unit.Unit.Metadata.Keys)
                    if (seen.Add(key)) names.Add(key);
        return names;
    }
}
