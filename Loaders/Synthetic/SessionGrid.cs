using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// Everything that drives the units of one session, sampled on a 5 ms grid: per region, its latent factors, the shared
/// arousal factor and the animal's position and velocity, interleaved step by step (<see cref="Stride"/> floats per step)
/// so that evaluating a unit's rate at any time reads two adjacent records. Also keeps, per block, the minimum and maximum
/// of every channel, from which a unit gets a tight upper bound of its rate for thinning. Blocks come in
/// <see cref="Levels"/> sizes (25 ms doubling up to 1.6 s): a high-rate unit uses short blocks (tight bounds), a sparse
/// unit long ones (few bound computations per spike). Built once per session; the spike samplers only read it.
/// </summary>
internal sealed class SessionGrid
{
    /// <summary>Grid step in seconds. Latents are smooth at this scale (the fastest oscillation, 30 Hz, gets 6.7 samples a cycle).</summary>
    public const double StepSeconds = 0.005;

    /// <summary>Steps per thinning block at level 0 (25 ms); level l blocks hold BlockSteps * 2^l steps.</summary>
    public const int BlockSteps = 5;

    /// <summary>Number of block levels (level 6 blocks last 1.6 s).</summary>
    public const int Levels = 7;

    /// <summary>Channel offsets within a step record.</summary>
    public const int Slow = 0, OscCos = 1, OscSin = 2, Fast = 3, Arousal = 4, X = 5, Y = 6, Vx = 7, Vy = 8, Stride = 9;

    /// <summary>Number of latent channels a unit loads on (slow, oscillation cos and sin, fast, arousal).</summary>
    public const int LatentChannels = 5;

    private SessionGrid(int steps, float[][] tables, float[][][] blockMin, float[][][] blockMax, Trajectory trajectory)
    {
        Steps = steps;
        Tables = tables;
        BlockMin = blockMin;
        BlockMax = blockMax;
        Trajectory = trajectory;
    }

    /// <summary>Grid samples per channel; step i is at time i * <see cref="StepSeconds"/>, and the grid reaches past the session end.</summary>
    public int Steps { get; }

    /// <summary>Number of thinning blocks at a level.</summary>
    public int Blocks(int level) => (Steps - 1) / (BlockSteps << level);

    /// <summary>Per region: <see cref="Stride"/> floats per step.</summary>
    public float[][] Tables { get; }

    /// <summary>Per region and level: per block, the minimum of each channel over the block's steps and the first step of the next block.</summary>
    public float[][][] BlockMin { get; }

    /// <summary>Per region and level: per block, the maximum of each channel (same steps as <see cref="BlockMin"/>).</summary>
    public float[][][] BlockMax { get; }

    /// <summary>The behaviour that the tables hold a copy of.</summary>
    public Trajectory Trajectory { get; }

    /// <summary>Builds the grid of one session: latents for each region and the trajectory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static SessionGrid Build(SyntheticOptions options, int subject, int session, SubjectProfile profile, TrialSchedule trials)
    {
        // Whole blocks, covering the session plus one step so that interpolation just before the end has a right neighbour.
        int topSteps = BlockSteps << (Levels - 1);
        int steps = ((int)Math.Ceiling(options.DurationSeconds / (StepSeconds * topSteps)) + 1) * topSteps + 1;
        var rest = trials.RestMask(steps, StepSeconds);

        var behaviorRng = SeedSequence.Generator(options.Seed, SeedSequence.BehaviorStream, subject, session);
        var trajectory = Trajectory.Simulate(steps, StepSeconds, options.ArenaSizeMeters, rest, ref behaviorRng);

        var arousalRng = SeedSequence.Generator(options.Seed, SeedSequence.LatentStream, subject, session, -1);
        var arousal = LatentProcesses.Arousal(steps, StepSeconds, rest, ref arousalRng);

        int regions = options.Regions.Count;
        var tables = new float[regions][];
        var blockMin = new float[regions][][];
        var blockMax = new float[regions][][];
        for (int r = 0; r < regions; r++)
        {
            var signature = RegionSignature.For(options.Regions[r]);
            var rng = SeedSequence.Generator(options.Seed, SeedSequence.LatentStream, subject, session, r);
            var table = new float[steps * Stride];
            LatentProcesses.Region(table, steps, StepSeconds, signature, profile.RegionFrequencyScale[r], profile.RegionTimeScale[r], ref rng);
            for (int i = 0; i < steps; i++)
            {
                int o = i * Stride;
                table[o + Arousal] = arousal[i];
                table[o + X] = trajectory.X[i];
                table[o + Y] = trajectory.Y[i];
                table[o + Vx] = trajectory.Vx[i];
                table[o + Vy] = trajectory.Vy[i];
            }
            tables[r] = table;
            (blockMin[r], blockMax[r]) = BlockRanges(table, steps);
        }
        return new SessionGrid(steps, tables, blockMin, blockMax, trajectory);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (float[][] Min, float[][] Max) BlockRanges(float[] table, int steps)
    {
        var min = new float[Levels][];
        var max = new float[Levels][];
        int blocks = (steps - 1) / BlockSteps;
        var lo = min[0] = new float[blocks * Stride];
        var hi = max[0] = new float[blocks * Stride];
        for (int b = 0; b < blocks; b++)
        {
            // Steps b*BlockSteps .. (b+1)*BlockSteps inclusive: interpolation inside the block reads the next block's first
            // step. Branch-free vector min/max: channels 0-7 and 1-8 as two overlapping 8-wide vectors (random data makes
            // compare-and-branch code mispredict constantly).
            int row = b * BlockSteps * Stride;
            var lo0 = Vector256.Create<float>(table.AsSpan(row, 8));
            var lo1 = Vector256.Create<float>(table.AsSpan(row + 1, 8));
            var hi0 = lo0;
            var hi1 = lo1;
            for (int i = 1; i <= BlockSteps; i++)
            {
                var v0 = Vector256.Create<float>(table.AsSpan(row + i * Stride, 8));
                var v1 = Vector256.Create<float>(table.AsSpan(row + i * Stride + 1, 8));
                lo0 = Vector256.Min(lo0, v0);
                hi0 = Vector256.Max(hi0, v0);
                lo1 = Vector256.Min(lo1, v1);
                hi1 = Vector256.Max(hi1, v1);
            }
            lo1.CopyTo(lo.AsSpan(b * Stride + 1, 8));
            lo0.CopyTo(lo.AsSpan(b * Stride, 8));
            hi1.CopyTo(hi.AsSpan(b * Stride + 1, 8));
            hi0.CopyTo(hi.AsSpan(b * Stride, 8));
        }
        // A block of level l is two blocks of level l-1, and their step ranges share the middle step: combine them.
        for (int level = 1; level < Levels; level++)
        {
            blocks /= 2;
            var childLo = min[level - 1];
            var childHi = max[level - 1];
            lo = min[level] = new float[blocks * Stride];
            hi = max[level] = new float[blocks * Stride];
            for (int b = 0; b < blocks; b++)
            {
                int left = 2 * b * Stride, right = left + Stride, o = b * Stride;
                for (int c = 0; c < Stride; c++)
                {
                    lo[o + c] = Math.Min(childLo[left + c], childLo[right + c]);
                    hi[o + c] = Math.Max(childHi[left + c], childHi[right + c]);
                }
            }
        }
        return (min, max);
    }
}
