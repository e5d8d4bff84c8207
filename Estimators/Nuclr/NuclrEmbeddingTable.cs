using MLNeuro.Loaders;

namespace MLNeuro.Estimators;

/// <summary>
/// Builds the per-unit NuCLR embedding table session by session: one row per unit with the standard label columns
/// (<see cref="FeatureTable.ForUnits"/>) and features <c>nuclr_000</c>... Shared by <see cref="NuclrEmbedder.Embed"/>
/// and <see cref="NuclrWindowView.AverageEmbeddings"/>, so both routes give the same table.
/// </summary>
internal sealed class NuclrEmbeddingTable
{
    private readonly int _dim;
    private readonly List<DatasetUnit> _rows;
    private readonly List<float> _features;

    public NuclrEmbeddingTable(int dim, int expectedUnits = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dim);
        _dim = dim;
        _rows = new List<DatasetUnit>(expectedUnits);
        _features = new List<float>(expectedUnits * dim);
    }

    /// <summary>Feature names of a <paramref name="dim"/>-dimensional embedding: nuclr_000, nuclr_001, ...</summary>
    public static string[] FeatureNames(int dim) => Enumerable.Range(0, dim).Select(i => $"{NuclrEmbedder.FeaturePrefix}{i:D3}").ToArray();

    /// <summary>Appends a session's units (in unit order) with their mean embeddings, [units x dim] row-major.</summary>
    public void AddSession(SessionEntry session, IReadOnlyList<UnitInfo> units, ReadOnlySpan<float> means)
    {
        if (means.Length != units.Count * _dim)
            throw new ArgumentException($"session '{session.SessionId}': {means.Length} values for {units.Count} units x {_dim} dims", nameof(means));
        foreach (var v in means) _features.Add(v);
        for (int u = 0; u < units.Count; u++)
            _rows.Add(new DatasetUnit(session.SessionId, session.SubjectId, u, units[u], 0));
    }

    /// <summary>The table of every session added so far.</summary>
    public FeatureTable Build(string source) => FeatureTable.ForUnits(_rows, _features.ToArray(), FeatureNames(_dim), source);
}

/// <summary>
/// The mean of each unit's embeddings over the passes ([units x dim] each) in which it was a member (unit_group >= 0),
/// summed in double: thousands of windows of float embeddings would otherwise lose low bits. A unit that was a member of
/// no pass (silent in every window with ActiveUnitsOnly) gets zeros; the reference drops such units.
/// </summary>
internal sealed class WindowMean
{
    private readonly double[] _sums;
    private readonly int[] _counts;
    private readonly int _dim;

    public WindowMean(int units, int dim)
    {
        _sums = new double[units * dim];
        _counts = new int[units];
        _dim = dim;
    }

    /// <summary>Values per pass (units x dim).</summary>
    public int Length => _sums.Length;

    /// <summary>Passes added so far.</summary>
    public int Windows { get; private set; }

    /// <summary>
    /// Adds one pass's embedding; its length must be <see cref="Length"/> (callers check, with their own message).
    /// <paramref name="groups"/> (one per unit; empty = every unit) says which units were members.
    /// </summary>
    public void Add(ReadOnlySpan<float> embedding, ReadOnlySpan<float> groups = default)
    {
        if (embedding.Length != _sums.Length)
            throw new ArgumentException($"{embedding.Length} values where {_sums.Length} were expected", nameof(embedding));
        if (!groups.IsEmpty && groups.Length != _counts.Length)
            throw new ArgumentException($"{groups.Length} unit groups where {_counts.Length} were expected", nameof(groups));
        for (int u = 0; u < _counts.Length; u++)
        {
            if (!groups.IsEmpty && !(groups[u] >= 0)) continue;
            _counts[u]++;
            int o = u * _dim;
            for (int i = 0; i < _dim; i++) _sums[o + i] += embedding[o + i];
        }
        Windows++;
    }

    /// <summary>The mean over the passes each unit was a member of, rounded to float (zeros for a unit of none).</summary>
    public float[] Mean()
    {
        if (Windows == 0) throw new InvalidOperationException("no window was added");
        var mean = new float[_sums.Length];
        for (int u = 0; u < _counts.Length; u++)
        {
            if (_counts[u] == 0) continue;
            for (int i = 0; i < _dim; i++) mean[u * _dim + i] = (float)(_sums[u * _dim + i] / _counts[u]);
        }
        return mean;
    }
}
