using System.Runtime.CompilerServices;

namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// Foraging in a square arena [0, L] x [0, L]: a target velocity u follows an Ornstein-Uhlenbeck process (time constant
/// 1 s, sd 0.2 L/s per axis while running, a tenth of that at rest); the velocity v relaxes to u with a 0.25 s time
/// constant (so it is smooth) and is pushed back by a wall force within 0.15 L of a wall; the position integrates v by the
/// trapezoid rule, so v is the derivative of the position. A reflection at the wall is the rarely needed last resort.
/// </summary>
internal sealed class Trajectory
{
    /// <summary>Time constant of the target velocity, seconds.</summary>
    public const double TargetSeconds = 1.0;

    /// <summary>Time constant with which the velocity follows its target, seconds.</summary>
    public const double SmoothingSeconds = 0.25;

    /// <summary>Target-velocity sd per axis, in arena sides per second, while running; at rest it is multiplied by <see cref="RestSpeedScale"/>.</summary>
    public const double RunSpeed = 0.2, RestSpeedScale = 0.1;

    /// <summary>Wall zone as a fraction of the side, and the wall acceleration at the wall in sides per second squared.</summary>
    public const double WallZone = 0.15, WallAcceleration = 3.0;

    private Trajectory(float[] x, float[] y, float[] vx, float[] vy, double stepSeconds)
    {
        X = x;
        Y = y;
        Vx = vx;
        Vy = vy;
        StepSeconds = stepSeconds;
    }

    /// <summary>Position x on the grid, metres.</summary>
    public float[] X { get; }

    /// <summary>Position y on the grid, metres.</summary>
    public float[] Y { get; }

    /// <summary>Velocity x on the grid, metres per second.</summary>
    public float[] Vx { get; }

    /// <summary>Velocity y on the grid, metres per second.</summary>
    public float[] Vy { get; }

    /// <summary>Grid step, seconds.</summary>
    public double StepSeconds { get; }

    /// <summary>Simulates the trajectory on the grid.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Trajectory Simulate(int steps, double dt, double side, bool[] rest, ref Xoshiro256StarStar rng)
    {
        var xs = new float[steps];
        var ys = new float[steps];
        var vxs = new float[steps];
        var vys = new float[steps];
        double rho = Math.Exp(-dt / TargetSeconds), noise = Math.Sqrt(1 - rho * rho) * RunSpeed * side;
        double follow = 1 - Math.Exp(-dt / SmoothingSeconds);
        double zone = WallZone * side, push = WallAcceleration * side;
        double x = side * rng.Uniform(0.3, 0.7), y = side * rng.Uniform(0.3, 0.7);
        double vx = 0, vy = 0;
        double ux = noise / Math.Sqrt(1 - rho * rho) * rng.NextGaussian(), uy = noise / Math.Sqrt(1 - rho * rho) * rng.NextGaussian();
        for (int i = 0; i < steps; i++)
        {
            xs[i] = (float)x;
            ys[i] = (float)y;
            vxs[i] = (float)vx;
            vys[i] = (float)vy;
            double scale = rest[i] ? RestSpeedScale : 1;
            ux = rho * ux + scale * noise * rng.NextGaussian();
            uy = rho * uy + scale * noise * rng.NextGaussian();
            if (rest[i])
            {
                // Settling down: the target decays faster than the OU alone would let it.
                ux *= 1 - follow;
                uy *= 1 - follow;
            }
            double nvx = vx + follow * (ux - vx) + dt * Wall(x, side, zone, push);
            double nvy = vy + follow * (uy - vy) + dt * Wall(y, side, zone, push);
            x += 0.5 * dt * (vx + nvx);
            y += 0.5 * dt * (vy + nvy);
            vx = nvx;
            vy = nvy;
            Reflect(ref x, ref vx, ref ux, side);
            Reflect(ref y, ref vy, ref uy, side);
        }
        return new Trajectory(xs, ys, vxs, vys, dt);
    }

    private static double Wall(double p, double side, double zone, double push)
    {
        if (p < zone) return push * (zone - p) / zone;
        if (p > side - zone) return -push * (p - (side - zone)) / zone;
        return 0;
    }

    private static void Reflect(ref double p, ref double v, ref double u, double side)
    {
        if (p < 0)
        {
            p = -p;
            v = Math.Abs(v);
            u = Math.Abs(u);
        }
        else if (p > side)
        {
            p = 2 * side - p;
            v = -Math.Abs(v);
            u = -Math.Abs(u);
        }
    }

    /// <summary>Behaviour samples at t = k / rate for t below <paramref name="durationSeconds"/>, linearly interpolated from the grid.</summary>
    public BehaviorSeries Sample(double rateHz, double durationSeconds)
    {
        int count = (int)Math.Ceiling(durationSeconds * rateHz);
        while (count > 0 && (count - 1) / rateHz >= durationSeconds) count--;
        var times = new double[count];
        var channels = new[] { new float[count], new float[count], new float[count], new float[count] };
        var sources = new[] { X, Y, Vx, Vy };
        for (int k = 0; k < count; k++)
        {
            double t = k / rateHz;
            times[k] = t;
            double pos = t / StepSeconds;
            int i = Math.Min((int)pos, X.Length - 2);
            double f = pos - i;
            for (int c = 0; c < 4; c++)
            {
                var s = sources[c];
                channels[c][k] = (float)(s[i] + f * (s[i + 1] - s[i]));
            }
        }
        return BehaviorSeries.Wrap(times, new[] { "x", "y", "vx", "vy" }, channels);
    }
}
