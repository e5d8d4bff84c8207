namespace MLNeuro.Loaders;

/// <summary>
/// A per-unit feature table: one row per unit, string label columns (<c>unit_id</c>, <c>session_id</c>,
/// <c>subject_id</c>, <c>brain_region</c>, <c>cell_type</c>, any others; values may be null) and one fixed-length
/// float vector per row. It is what <c>mlneuro features</c> and the learned encoders (<c>mlneuro embed</c>) write and
/// what <c>mlneuro probe</c> reads. Immutable: the constructor copies its inputs.
/// </summary>
/// <remarks>
/// On disk it is one Parquet file any engine reads: label columns as nullable UTF-8 strings, <c>features</c> as a
/// <c>list&lt;float&gt;</c> of <see cref="Dimension"/> elements, and file key-value metadata
/// <see cref="FeatureTableLayout.FeatureNamesKey"/> (JSON array) and <see cref="FeatureTableLayout.SourceKey"/>.
/// Features must be finite: NaN would silently poison the trainers downstream, so producers fill undefined
/// features themselves and document the rule.
/// </remarks>
/// <example><code>
/// var table = new FeatureTable(
///     new Dictionary&lt;string, string?[]&gt; { ["unit_id"] = ["u0", "u1"], ["cell_type"] = ["pv", null] },
///     features: [0.5f, 1f, 0.25f, 2f], featureNames: ["rate", "cv"], source: "example");
/// table.Write("features.parquet");
/// var back = FeatureTable.Read("features.parquet");   // back.Row(1) is [0.25, 2]
/// </code></example>
public sealed class FeatureTable
{
    private readonly Dictionary<string, string?[]> _columns;
    private readonly float[] _features;

    /// <summary>Creates a table; throws <see cref="ArgumentException"/> naming the column or row at fault.</summary>
    /// <param name="labelColumns">Label columns by name, in the order they are written; each holds one value per row.</param>
    /// <param name="features">Feature vectors, row-major: row r occupies [r * dimension, (r + 1) * dimension).</param>
    /// <param name="featureNames">One name per vector element; the length fixes <see cref="Dimension"/> (at least 1).</param>
    /// <param name="source">What produced the features (free text), stored in the file metadata.</param>
    public FeatureTable(IEnumerable<KeyValuePair<string, string?[]>> labelColumns, float[] features, IReadOnlyList<string> featureNames, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(labelColumns);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(featureNames);
        if (featureNames.Count == 0) throw new ArgumentException("a feature table needs at least one feature", nameof(featureNames));
        if (featureNames.Any(string.IsNullOrEmpty)) throw new ArgumentException("feature names must not be empty", nameof(featureNames));
        Dimension = featureNames.Count;
        if (features.Length % Dimension != 0)
            throw new ArgumentException($"{features.Length} feature values are not a whole number of rows of {Dimension} features", nameof(features));
        RowCount = features.Length / Dimension;
        int nan = Array.FindIndex(features, v => !float.IsFinite(v));
        if (nan >= 0)
            throw new ArgumentException($"row {nan / Dimension + 1}, feature '{featureNames[nan % Dimension]}' is {features[nan]}; features must be finite (fill undefined values before building the table)", nameof(features));

        _columns = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (name, values) in labelColumns)
        {
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("label column names must not be empty", nameof(labelColumns));
            if (name == FeatureTableLayout.Features) throw new ArgumentException($"'{name}' is the feature vector column; choose another label column name", nameof(labelColumns));
            ArgumentNullException.ThrowIfNull(values, nameof(labelColumns));
            if (values.Length != RowCount)
                throw new ArgumentException($"label column '{name}' has {values.Length} values but the table has {RowCount} rows", nameof(labelColumns));
            if (!_columns.TryAdd(name, (string?[])values.Clone())) throw new ArgumentException($"label column '{name}' appears twice", nameof(labelColumns));
            order.Add(name);
        }
        LabelColumns = order.AsReadOnly();
        _features = (float[])features.Clone();
        FeatureNames = featureNames.ToArray().AsReadOnly();
        Source = source ?? "";
    }

    /// <summary>Number of rows (units).</summary>
    public int RowCount { get; }

    /// <summary>Length of every feature vector.</summary>
    public int Dimension { get; }

    /// <summary>Label column names in file order.</summary>
    public IReadOnlyList<string> LabelColumns { get; }

    /// <summary>Names of the vector elements.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>What produced the features (free text; empty when unknown).</summary>
    public string Source { get; }

    /// <summary>All feature values, row-major (<see cref="RowCount"/> x <see cref="Dimension"/>).</summary>
    public ReadOnlySpan<float> Features => _features;

    /// <summary>The feature vector of row <paramref name="row"/> (0-based).</summary>
    public ReadOnlySpan<float> Row(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, RowCount);
        return _features.AsSpan(row * Dimension, Dimension);
    }

    /// <summary>Whether the table has a label column of that name.</summary>
    public bool HasColumn(string name) => _columns.ContainsKey(name);

    /// <summary>The values of a label column (null where missing); throws <see cref="KeyNotFoundException"/> listing the columns.</summary>
    public IReadOnlyList<string?> Column(string name) =>
        _columns.TryGetValue(name, out var values)
            ? Array.AsReadOnly(values)
            : throw new KeyNotFoundException($"the feature table has no column '{name}' (columns: {string.Join(", ", LabelColumns)})");

    /// <summary>
    /// Writes the table as one Parquet file, atomically: it is written beside <paramref name="path"/> under a hidden
    /// temporary name and renamed into place, replacing any existing file only once complete.
    /// </summary>
    public void Write(string path) => FeatureTableFile.Write(this, path);

    /// <summary>
    /// Reads a feature table written by MLNeuro or any Parquet engine (a <c>list&lt;float&gt;</c> or <c>list&lt;double&gt;</c>
    /// <c>features</c> column plus string columns; other column types are skipped). Throws
    /// <see cref="DataFormatException"/> naming the file and column when the vector column is missing, rows differ in
    /// length, or a value is null, NaN or infinite.
    /// </summary>
    public static FeatureTable Read(string path) => FeatureTableFile.Read(path);

    /// <summary>
    /// A table of per-unit vectors with the standard label columns: unit_id, session_id, subject_id, brain_region,
    /// cell_type, then every unit-metadata column the units have (sorted). What <c>mlneuro features</c> and
    /// <c>mlneuro embed</c> write, so <c>mlneuro probe</c> reads both the same way.
    /// </summary>
    /// <param name="units">One entry per row, in row order.</param>
    /// <param name="features">Row-major values, <paramref name="featureNames"/>.Count per row.</param>
    /// <param name="featureNames">Name of each feature.</param>
    /// <param name="source">What produced the vectors.</param>
    /// <example><code>
    /// var table = FeatureTable.ForUnits(dataset.Units, vectors, names, "my encoder");
    /// </code></example>
    public static FeatureTable ForUnits(IReadOnlyList<DatasetUnit> units, float[] features, IReadOnlyList<string> featureNames, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(units);
        var metadataColumns = units.SelectMany(u => u.Unit.Metadata?.Keys ?? Enumerable.Empty<string>())
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var columns = new List<KeyValuePair<string, string?[]>>
        {
            new("unit_id", units.Select(r => (string?)r.Unit.UnitId).ToArray()),
            new("session_id", units.Select(r => (string?)r.SessionId).ToArray()),
            new("subject_id", units.Select(r => (string?)r.SubjectId).ToArray()),
            new("brain_region", units.Select(r => r.Unit.BrainRegion).ToArray()),
            new("cell_type", units.Select(r => r.Unit.CellType).ToArray()),
        };
        foreach (var column in metadataColumns)
            columns.Add(new(column, units.Select(r => r.Unit.GetMetadata(column)).ToArray()));
        return new FeatureTable(columns, features, featureNames, source);
    }
}
