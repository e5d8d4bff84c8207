namespace MLNeuro.Loaders;

/// <summary>
/// Names in a feature table file (see <see cref="FeatureTable"/>): the vector column and the file key-value metadata
/// keys. Label columns reuse the dataset's unit column names (<c>unit_id</c>, <c>session_id</c>, ...).
/// </summary>
public static class FeatureTableLayout
{
    /// <summary>The per-unit feature vector: a Parquet <c>list&lt;float&gt;</c> of the same length in every row.</summary>
    public const string Features = "features";

    /// <summary>File metadata key: a JSON array of the feature names, one per vector element.</summary>
    public const string FeatureNamesKey = "mlneuro.feature_names";

    /// <summary>File metadata key: free text saying what produced the features (command, encoder, version).</summary>
    public const string SourceKey = "mlneuro.source";

    /// <summary>The label columns every producer writes, in this order, before any extra label columns.</summary>
    public static IReadOnlyList<string> StandardLabelColumns { get; } =
        [DatasetLayout.UnitId, DatasetLayout.SessionId, DatasetLayout.SubjectId, DatasetLayout.BrainRegion, DatasetLayout.CellType];
}
