using System.Numerics;
using System.Runtime.CompilerServices;

namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// xoshiro256** (Blackman and Vigna, 2018): a small, fast generator with 256 bits of state. A mutable struct, so pass
/// it by <c>ref</c>; every random choice of the synthetic generator comes from one of these, seeded explicitly through
/// <see cref="SeedSequence"/>, so the same seed gives bit-identical output on every run.
/// </summary>
internal struct Xoshiro256StarStar
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Seeds the four state words from one 64-bit seed through SplitMix64, as the authors recommend.</summary>
    public Xoshiro256StarStar(ulong seed)
    {
        _s0 = SeedSequence.SplitMix(ref seed);
        _s1 = SeedSequence.SplitMix(ref seed);
        _s2 = SeedSequence.SplitMix(ref seed);
        _s3 = SeedSequence.SplitMix(ref seed);
    }

    /// <summary>Next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1), 53 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in (0, 1): never 0, so its logarithm is finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextOpenDouble() => ((NextUInt64() >> 11) + 0.5) * (1.0 / (1UL << 53));

    /// <summary>Exponential with mean 1, by the ziggurat method.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextExponential()
    {
        ulong bits = NextUInt64();
        int i = (int)(bits & 0xFF);
        double x = (bits >> 11) * (1.0 / (1UL << 53)) * Ziggurat.ExpX[i];
        return x < Ziggurat.ExpX[i + 1] ? x : ExponentialSlow(i, x);
    }

    private double ExponentialSlow(int i, double x)
    {
        while (true)
        {
            if (i == 0) return Ziggurat.ExpR - Math.Log(NextOpenDouble()); // the tail is exponential again, shifted
            if (Ziggurat.ExpF[i + 1] + (Ziggurat.ExpF[i] - Ziggurat.ExpF[i + 1]) * NextDouble() < Math.Exp(-x)) return x;
            ulong bits = NextUInt64();
            i = (int)(bits & 0xFF);
            x = (bits >> 11) * (1.0 / (1UL << 53)) * Ziggurat.ExpX[i];
            if (x < Ziggurat.ExpX[i + 1]) return x;
        }
    }

    /// <summary>Uniform in [low, high).</summary>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform integer in [0, n) (Lemire's multiply-shift; the bias is below 2^-32 for the small n used here).</summary>
    public int NextInt(int n) => (int)(((NextUInt64() >> 32) * (ulong)n) >> 32);

    /// <summary>Standard normal, by the ziggurat method.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextGaussian()
    {
        ulong bits = NextUInt64();
        int i = (int)(bits & 0xFF);
        // 53 high bits give u uniform in [-1, 1); the low 8 bits chose the layer, so the two are independent.
        double x = ((bits >> 11) * (2.0 / (1UL << 53)) - 1) * Ziggurat.NormalX[i];
        return Math.Abs(x) < Ziggurat.NormalX[i + 1] ? x : GaussianSlow(i, x);
    }

    private double GaussianSlow(int i, double x)
    {
        while (true)
        {
            if (i == 0)
            {
                // Tail beyond R (Marsaglia 1964): x = -ln(u1) / R, accepted when -2 ln(u2) > x^2.
                double tx, ty;
                do
                {
                    tx = -Math.Log(NextOpenDouble()) / Ziggurat.NormalR;
                    ty = -Math.Log(NextOpenDouble());
                }
                while (2 * ty < tx * tx);
                return x < 0 ? -(Ziggurat.NormalR + tx) : Ziggurat.NormalR + tx;
            }
            if (Ziggurat.NormalF[i + 1] + (Ziggurat.NormalF[i] - Ziggurat.NormalF[i + 1]) * NextDouble() < Math.Exp(-0.5 * x * x)) return x;
            ulong bits = NextUInt64();
            i = (int)(bits & 0xFF);
            x = ((bits >> 11) * (2.0 / (1UL << 53)) - 1) * Ziggurat.NormalX[i];
            if (Math.Abs(x) < Ziggurat.NormalX[i + 1]) return x;
        }
    }

    /// <summary>Log-normal: median times exp(sigma * N(0, 1)).</summary>
    public double LogNormal(double median, double sigma) => median * Math.Exp(sigma * NextGaussian());
}
