namespace MLNeuro.Loaders;

/// <summary>
/// The units of one recording, in the order that spike <c>unit_index</c> values refer to. Immutable; unit ids are
/// unique and non-empty (checked at construction).
/// </summary>
/// <example><code>
/// var units = new UnitTable(new[] { new UnitInfo("a", "CA1"), new UnitInfo("b", "CA3") });
/// int b = units.IndexOf("b"); // 1
/// </code></example>
public sealed class UnitTable : IReadOnlyList<UnitInfo>
{
    private readonly UnitInfo[] _units;
    private readonly Dictionary<string, int> _indexById;

    /// <summary>An empty table.</summary>
    public static UnitTable Empty { get; } = new(Array.Empty<UnitInfo>());

    /// <summary>Creates a table; throws <see cref="ArgumentException"/> naming the first empty or repeated unit id.</summary>
    public UnitTable(IEnumerable<UnitInfo> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        _units = units.ToArray();
        _indexById = new Dictionary<string, int>(_units.Length, StringComparer.Ordinal);
        var metadataColumns = new SortedSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < _units.Length; i++)
        {
            var unit = _units[i] ?? throw new ArgumentException($"unit {i} is null", nameof(units));
            if (string.IsNullOrWhiteSpace(unit.UnitId))
                throw new ArgumentException($"unit {i} has an empty unit id", nameof(units));
            if (!_indexById.TryAdd(unit.UnitId, i))
                throw new ArgumentException($"unit id '{unit.UnitId}' appears twice (units {_indexById[unit.UnitId]} and {i})", nameof(units));
            if (unit.Metadata is not null) metadataColumns.UnionWith(unit.Metadata.Keys);
        }
        MetadataColumns = metadataColumns.ToArray();
    }

    /// <summary>Number of units.</summary>
    public int Count => _units.Length;

    /// <summary>The unit at an index (the value spikes carry as <c>unit_index</c>).</summary>
    public UnitInfo this[int index] => _units[index];

    /// <summary>Names of the metadata columns that at least one unit has, sorted ordinally.</summary>
    public IReadOnlyList<string> MetadataColumns { get; }

    /// <summary>Index of a unit id, or -1 when absent.</summary>
    public int IndexOf(string unitId) => _indexById.TryGetValue(unitId, out var i) ? i : -1;

    /// <inheritdoc />
    public IEnumerator<UnitInfo> GetEnumerator() => ((IEnumerable<UnitInfo>)_units).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _units.GetEnumerator();
}
