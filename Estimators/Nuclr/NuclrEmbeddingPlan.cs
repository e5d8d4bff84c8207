using MLNeuro.Loaders;

namespace MLNeuro.Estimators;

/// <summary>
/// Which units share a context when one session is embedded: for every evaluation window and draw, a group value per
/// unit (the ONNX graph's <c>unit_group</c> input): units with the same value g &gt;= 0 are embedded together as one
/// population, -1 leaves a unit out of that pass. Shared by <see cref="NuclrEmbedder"/> and <see cref="NuclrWindowView"/>
/// so both routes score exactly the same inputs.
/// </summary>
/// <remarks>
/// <para>Populations come from <see cref="NuclrSamplingOptions.PopulationColumn"/>; with
/// <see cref="NuclrSamplingOptions.ActiveUnitsOnly"/> only units that spike in the window are members. With
/// <see cref="NuclrSamplingOptions.EmbedWithTrainingCap"/> and a <see cref="NuclrSamplingOptions.MaxUnitsPerSample"/>
/// cap, a population of n &gt; cap members is split at random into ceil(n / cap) groups whose sizes differ by at most
/// one, and <see cref="Draws"/> = <see cref="NuclrSamplingOptions.EmbeddingDraws"/> such splits are made per window;
/// otherwise one pass per window. The number of draws depends only on the units table (a session whose populations all
/// fit under the cap needs one), so row counts are known before any spike is read.</para>
/// <para>Every split is seeded by <see cref="NuclrSamplingOptions.Seed"/>, a stable hash of the session id, the window
/// and the draw: the same artifact embeds the same dataset identically in any process, in any session order.</para>
/// </remarks>
internal sealed class NuclrEmbeddingPlan
{
    private readonly NuclrSamplingOptions _options;
    private readonly int[][] _populations;
    private readonly int _units;
    private readonly int? _cap;
    private readonly ulong _sessionHash;

    public NuclrEmbeddingPlan(string sessionId, UnitTable units, NuclrSamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _units = units.Count;
        _populations = NuclrPopulations.Of(units, options.PopulationColumn);
        _cap = options.EmbedWithTrainingCap ? options.MaxUnitsPerSample : null;
        _sessionHash = StableHash(sessionId);
        Draws = _cap is { } cap && _populations.Any(p => p.Length > cap) ? options.EmbeddingDraws : 1;
    }

    /// <summary>Passes per window (each a different random split under the cap; 1 without one).</summary>
    public int Draws { get; }

    /// <summary>
    /// The group of every unit for one pass: <paramref name="counts"/> is the window's [units, patches, bins] counts
    /// (only read with ActiveUnitsOnly), <paramref name="window"/> its index in the session, <paramref name="draw"/> in
    /// [0, <see cref="Draws"/>).
    /// </summary>
    public float[] Groups(ReadOnlySpan<float> counts, int window, int draw)
    {
        if (_units > 0 && counts.Length % _units != 0) throw new ArgumentException($"{counts.Length} counts do not split into {_units} units", nameof(counts));
        int stride = _units == 0 ? 0 : counts.Length / _units;
        var groups = new float[_units];
        Array.Fill(groups, -1f);
        Random? random = null;
        int next = 0;
        foreach (var population in _populations)
        {
            var members = population;
            if (_options.ActiveUnitsOnly)
            {
                var active = new List<int>(population.Length);
                foreach (int u in population)
                    if (counts.Slice(u * stride, stride).ContainsAnyExcept(0f)) active.Add(u);
                members = active.ToArray();
            }
            if (members.Length == 0) continue;
            if (_cap is not { } cap || members.Length <= cap)
            {
                foreach (int u in members) groups[u] = next;
                next++;
                continue;
            }
            random ??= new Random(Seed(window, draw));
            var shuffled = (int[])members.Clone();
            random.Shuffle(shuffled);
            int k = (members.Length + cap - 1) / cap;
            // Group i takes every k-th unit of the shuffled order: sizes differ by at most one.
            for (int i = 0; i < shuffled.Length; i++) groups[shuffled[i]] = next + i % k;
            next += k;
        }
        return groups;
    }

    private int Seed(int window, int draw)
    {
        ulong h = Mix(_sessionHash ^ Mix((ulong)(uint)_options.Seed));
        h = Mix(h ^ (ulong)(uint)window);
        h = Mix(h ^ ((ulong)(uint)draw << 32));
        return (int)(h & int.MaxValue);
    }

    /// <summary>FNV-1a over the UTF-16 code units: string.GetHashCode is randomised per process.</summary>
    private static ulong StableHash(string text)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in text) h = (h ^ c) * 1099511628211UL;
        return h;
    }

    /// <summary>SplitMix64's finaliser: neighbouring windows and draws get unrelated seeds.</summary>
    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
