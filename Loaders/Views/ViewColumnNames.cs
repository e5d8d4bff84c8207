namespace MLNeuro.Loaders.Views;

/// <summary>
/// Column names of the views returned by <see cref="DatasetViews"/>. They match the dataset's Parquet column names where
/// the two hold the same thing, so a pipeline written against a view reads like a query over the files.
/// </summary>
/// <example><code>
/// var pipeline = mlContext.Transforms.Conversion.MapValueToKey("label", ViewColumnNames.BrainRegion);
/// </code></example>
public static class ViewColumnNames
{
    /// <summary>Session id (Text).</summary>
    public const string SessionId = DatasetLayout.SessionId;

    /// <summary>Subject id (Text).</summary>
    public const string SubjectId = DatasetLayout.SubjectId;

    /// <summary>Index of the unit in its session's units table (Int32): the value spikes carry.</summary>
    public const string UnitIndex = DatasetLayout.UnitIndex;

    /// <summary>Unit id (Text).</summary>
    public const string UnitId = DatasetLayout.UnitId;

    /// <summary>Brain region (Text, empty when unknown).</summary>
    public const string BrainRegion = DatasetLayout.BrainRegion;

    /// <summary>Cell type (Text, empty when unknown).</summary>
    public const string CellType = DatasetLayout.CellType;

    /// <summary>Number of spikes (Int32): of the unit in the neuron view, of the window in the window view.</summary>
    public const string SpikeCount = "spike_count";

    /// <summary>Number of units of the window's session (Int32): the population size, spiking or not.</summary>
    public const string UnitCount = "unit_count";

    /// <summary>Duration of the unit's session in seconds (Double).</summary>
    public const string DurationSeconds = "duration_s";

    /// <summary>
    /// Spike times in seconds (variable-length vector of Double): absolute in the neuron view, relative to the window
    /// start in the window view.
    /// </summary>
    public const string SpikeTimes = "spike_times";

    /// <summary>Unit index of each spike of a window (variable-length vector of Int32).</summary>
    public const string SpikeUnits = "spike_units";

    /// <summary>Index of a window within its session (Int32), in the order the sampler produced it.</summary>
    public const string WindowIndex = "window_index";

    /// <summary>Window start in seconds (Double), in the session's time base.</summary>
    public const string StartSeconds = "start_s";

    /// <summary>Window end in seconds (Double, exclusive).</summary>
    public const string EndSeconds = "end_s";

    /// <summary>Prefix given to a unit-metadata column whose name clashes with one of the view's own columns.</summary>
    public const string MetadataPrefix = "metadata.";
}
