namespace MLNeuro.Estimators;

/// <summary>
/// An ordered, extendable list of string keys (unit keys "session/unit", session ids) mapping each to the row of its
/// embedding. Appending never renumbers: a model extended with a new session still reads the old rows as trained.
/// </summary>
internal sealed class Vocabulary
{
    private readonly List<string> _keys = new();
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public Vocabulary(IEnumerable<string> keys)
    {
        foreach (var key in keys) Add(key);
    }

    public int Count => _keys.Count;

    public IReadOnlyList<string> Keys => _keys;

    public bool Contains(string key) => _index.ContainsKey(key);

    /// <summary>The row of <paramref name="key"/>; the error names <paramref name="what"/> and says how to add it.</summary>
    public int IndexOf(string key, string what) => _index.TryGetValue(key, out int i)
        ? i
        : throw new KeyNotFoundException($"{what} '{key}' is not in the model's vocabulary ({_keys.Count} entries): adapt the model to its session first (unit identification)");

    /// <summary>Appends a key; throws when it is already there.</summary>
    public int Add(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (!_index.TryAdd(key, _keys.Count)) throw new ArgumentException($"'{key}' is already in the vocabulary", nameof(key));
        _keys.Add(key);
        return _keys.Count - 1;
    }

    /// <summary>The key of a unit of a session, unique across a dataset.</summary>
    public static string UnitKey(string sessionId, string unitId) => sessionId + "/" + unitId;
}
