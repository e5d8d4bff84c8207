using System.Runtime.CompilerServices;

namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// The latent processes, as exact discretisations on the grid, each started from its stationary distribution (unit
/// variance, so no burn-in): Ornstein-Uhlenbeck factors z' = rho z + sqrt(1 - rho^2) e with rho = exp(-dt / tau), and the
/// damped oscillator (c, s)' = rho R(2 pi f dt) (c, s) + sqrt(1 - rho^2) (e1, e2), whose two coordinates are stationary,
/// unit-variance and uncorrelated at equal times.
/// </summary>
internal static class LatentProcesses
{
    /// <summary>Time constant of the arousal factor, seconds.</summary>
    public const double ArousalSeconds = 1.5;

    /// <summary>Level the arousal factor relaxes to during "run" and "rest" time.</summary>
    public const double RunArousal = 0.3, RestArousal = -0.6;

    /// <summary>Fills a region's channels (<see cref="SessionGrid.Slow"/> .. <see cref="SessionGrid.Fast"/>), <paramref name="steps"/> points each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Region(float[][] channels, int steps, double dt, RegionSignature signature, double frequencyScale, double timeScale,
        ref Xoshiro256StarStar rng)
    {
        double rhoSlow = Math.Exp(-dt / (signature.SlowSeconds * timeScale));
        double rhoFast = Math.Exp(-dt / (signature.FastSeconds * timeScale));
        double rhoOsc = Math.Exp(-dt / (signature.OscillationDampingSeconds * timeScale));
        double angle = 2 * Math.PI * signature.OscillationHz * frequencyScale * dt;
        double cos = rhoOsc * Math.Cos(angle), sin = rhoOsc * Math.Sin(angle);
        double nSlow = Math.Sqrt(1 - rhoSlow * rhoSlow), nFast = Math.Sqrt(1 - rhoFast * rhoFast), nOsc = Math.Sqrt(1 - rhoOsc * rhoOsc);
        double slow = rng.NextGaussian(), fast = rng.NextGaussian(), c = rng.NextGaussian(), s = rng.NextGaussian();
        var slows = channels[SessionGrid.Slow].AsSpan(0, steps);
        var coss = channels[SessionGrid.OscCos].AsSpan(0, steps);
        var sins = channels[SessionGrid.OscSin].AsSpan(0, steps);
        var fasts = channels[SessionGrid.Fast].AsSpan(0, steps);
        for (int i = 0; i < steps; i++)
        {
            slows[i] = (float)slow;
            coss[i] = (float)c;
            sins[i] = (float)s;
            fasts[i] = (float)fast;
            slow = rhoSlow * slow + nSlow * rng.NextGaussian();
            fast = rhoFast * fast + nFast * rng.NextGaussian();
            double nc = cos * c - sin * s + nOsc * rng.NextGaussian();
            double ns = sin * c + cos * s + nOsc * rng.NextGaussian();
            c = nc;
            s = ns;
        }
    }

    /// <summary>
    /// The session-wide arousal factor shared by all regions: an Ornstein-Uhlenbeck process that relaxes towards
    /// <see cref="RunArousal"/> or <see cref="RestArousal"/> depending on the current trial condition.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float[] Arousal(int steps, double dt, bool[] rest, ref Xoshiro256StarStar rng)
    {
        var values = new float[steps];
        double rho = Math.Exp(-dt / ArousalSeconds), noise = Math.Sqrt(1 - rho * rho);
        double z = (rest.Length > 0 && rest[0] ? RestArousal : RunArousal) + rng.NextGaussian();
        for (int i = 0; i < steps; i++)
        {
            values[i] = (float)z;
            double level = rest[i] ? RestArousal : RunArousal;
            z = level + rho * (z - level) + noise * rng.NextGaussian();
        }
        return values;
    }
}
