namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// Derives independent 64-bit seeds from the user's seed and a path such as (subject, session, unit, stream), so each
/// part of a session draws from its own generator: a unit's spikes do not depend on how many random numbers another
/// unit used, units can be generated in parallel, and one session can be generated without the others.
/// </summary>
internal static class SeedSequence
{
    /// <summary>Stream tags: which part of the model a generator feeds.</summary>
    public const long SubjectStream = 1, LayoutStream = 2, LatentStream = 3, BehaviorStream = 4, TrialStream = 5,
        UnitParameterStream = 6, SpikeStream = 7;

    /// <summary>SplitMix64 step: advances <paramref name="state"/> and returns a well-mixed output.</summary>
    public static ulong SplitMix(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>A seed for the path (seed, parts...): each part is folded in through the SplitMix64 finaliser.</summary>
    public static ulong Derive(int seed, params ReadOnlySpan<long> parts)
    {
        ulong h = Mix((ulong)(uint)seed ^ 0x6A09E667F3BCC909UL);
        foreach (var part in parts) h = Mix(h + 0x9E3779B97F4A7C15UL + (ulong)part * 0xBF58476D1CE4E5B9UL);
        return h;
    }

    /// <summary>A generator for the path (seed, parts...).</summary>
    public static Xoshiro256StarStar Generator(int seed, params ReadOnlySpan<long> parts) => new(Derive(seed, parts));

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
