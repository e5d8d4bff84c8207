namespace MLNeuro.Loaders.Views;

/// <summary>
/// Derives a session's generator seed from the view seed and the session's position in the dataset, so a session's
/// windows do not depend on which other sessions are selected. SplitMix64 finalizer: neighbouring inputs give
/// unrelated seeds (System.Random seeded with 0, 1, 2, ... starts out correlated).
/// </summary>
internal static class SessionSeed
{
    public static int Derive(int seed, int sessionIndex)
    {
        ulong z = ((ulong)(uint)seed << 32 | (uint)sessionIndex) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & int.MaxValue);
    }
}
