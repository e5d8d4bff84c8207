using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// exp for eight floats at once: exp(x) = 2^n * e^r with n = round(x log2 e) and |r| &lt;= ln 2 / 2, e^r by its degree-6
/// Taylor polynomial (truncation below 1.3e-7). Measured relative error: at most 1.01e-6 for |x| &lt;= 12, which covers
/// every log rate, and at most 4e-6 over the whole clamped range (dominated by rounding x log2 e to float for large |x|).
/// Arguments are clamped to [-87.3, 88.0], so results stay normal floats.
/// </summary>
/// <remarks>
/// Written with separate multiplies and adds, never fused ones, so the result is bit-identical whether or not the
/// hardware has FMA or AVX (the same seed gives the same spikes).
/// </remarks>
internal static class FastExp
{
    private const float Log2E = 1.44269504f, Ln2 = 0.693147181f;

    /// <summary>exp of each lane (see the class summary for the accuracy).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        var y = Vector256.Min(Vector256.Max(x * Log2E, Vector256.Create(-126f)), Vector256.Create(127f));
        var n = Vector256.Floor(y + Vector256.Create(0.5f));
        var r = (y - n) * Ln2; // y - n is exact: n is y's nearest integer
        var p = Vector256.Create(1f / 720);
        p = p * r + Vector256.Create(1f / 120);
        p = p * r + Vector256.Create(1f / 24);
        p = p * r + Vector256.Create(1f / 6);
        p = p * r + Vector256.Create(0.5f);
        p = p * r + Vector256.Create(1f);
        p = p * r + Vector256.Create(1f);
        var scale = Vector256.ShiftLeft(Vector256.ConvertToInt32(n) + Vector256.Create(127), 23).AsSingle();
        return p * scale;
    }
}
