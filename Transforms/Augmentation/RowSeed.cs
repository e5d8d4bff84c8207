using System.Text;

namespace MLNeuro.Transforms;

/// <summary>
/// The seed of one window row's augmentation: a stable hash of (seed, session_id, window_index). Stable means the
/// same in every process and on every machine, which <c>string.GetHashCode</c> is not (it is randomised per process),
/// so a row gets the same augmentation in every run and after a model is saved and loaded.
/// </summary>
/// <remarks>FNV-1a (64-bit) over the session id's UTF-8 bytes, then the SplitMix64 finaliser over that hash combined with the seed and window index.</remarks>
internal static class RowSeed
{
    public static int Derive(int seed, string sessionId, int windowIndex)
    {
        ulong h = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(sessionId))
        {
            h ^= b;
            h *= 0x100000001B3UL;
        }
        h ^= ((ulong)(uint)seed << 32) | (uint)windowIndex;
        ulong z = h + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & int.MaxValue);
    }
}
