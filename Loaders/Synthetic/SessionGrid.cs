using System.Runtime.CompilerServices;

namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// Everything that drives the units of one session, sampled on a 5 ms grid: per region, its latent factors; the shared
/// arousal factor; the animal's position and velocity. Each channel is its own array (channel-major), so that a unit's
/// log rate at every grid point is a handful of vector multiply-adds over contiguous floats (<see cref="UnitRateGrid"/>).
/// Built once per session; the spike samplers only read it.
/// </summary>
internal sealed class SessionGrid
{
    /// <summary>Grid step in seconds. Latents are smooth at this scale (the fastest oscillation, 30 Hz, gets 6.7 samples a cycle).</summary>
    public const double StepSeconds = 0.005;

    /// <summary>Grid points per thinning chunk: one 8-float vector, whose envelope mass the sampler skips in one subtraction.</summary>
    public const int ChunkSteps = 8;

    /// <summary>Latent channel indices, which are also the order of <see cref="UnitModel.Loadings"/>.</summary>
    public const int Slow = 0, OscCos = 1, OscSin = 2, Fast = 3, Arousal = 4;

    /// <summary>Number of latent channels a unit loads on (slow, oscillation cos and sin, fast, arousal).</summary>
    public const int LatentChannels = 5;

    /// <summary>Number of region-specific latent channels (slow, oscillation cos and sin, fast); arousal is shared.</summary>
    public const int RegionChannels = 4;

    private SessionGrid(int steps, float[][][] latents, float[] arousal, Trajectory trajectory)
    {
        Steps = steps;
        Latents = latents;
        ArousalFactor = arousal;
        Trajectory = trajectory;
    }

    /// <summary>
    /// Grid points per channel, a multiple of <see cref="ChunkSteps"/>; point i is at time i * <see cref="StepSeconds"/>.
    /// The grid reaches at least a chunk plus a step past the session end, so every step inside the session has a right
    /// neighbour and lies in a whole chunk.
    /// </summary>
    public int Steps { get; }

    /// <summary>Number of whole thinning chunks, each with the right neighbour of its last point on the grid.</summary>
    public int Chunks => Steps / ChunkSteps - 1;

    /// <summary>Per region, per region channel (<see cref="Slow"/> .. <see cref="Fast"/>): the factor's value at each grid point.</summary>
    public float[][][] Latents { get; }

    /// <summary>The session-wide arousal factor at each grid point.</summary>
    public float[] ArousalFactor { get; }

    /// <summary>The behaviour (position and velocity at each grid point).</summary>
    public Trajectory Trajectory { get; }

    /// <summary>The grid size for a session of <paramref name="durationSeconds"/>.</summary>
    public static int StepsFor(double durationSeconds)
    {
        int needed = (int)Math.Ceiling(durationSeconds / StepSeconds) + 1 + ChunkSteps;
        return (needed + ChunkSteps - 1) / ChunkSteps * ChunkSteps;
    }

    /// <summary>
    /// Builds the grid of one session: the trajectory, the arousal factor and each region's latents. These are independent
    /// (each draws from its own generator), so they are built in parallel when the options allow it, with the same result.
    /// </summary>
    public static SessionGrid Build(SyntheticOptions options, int subject, int session, SubjectProfile profile, TrialSchedule trials)
    {
        int steps = StepsFor(options.DurationSeconds);
        var rest = trials.RestMask(steps, StepSeconds);
        int regions = options.Regions.Count;
        var latents = new float[regions][][];
        Trajectory? trajectory = null;
        float[]? arousal = null;
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : Environment.ProcessorCount,
        };
        // Items 0 .. regions-1 are the regions, then the trajectory, then arousal.
        Parallel.For(0, regions + 2, parallel, item =>
        {
            if (item < regions)
            {
                latents[item] = RegionLatents(options, subject, session, profile, item, steps);
            }
            else if (item == regions)
            {
                var behaviorRng = SeedSequence.Generator(options.Seed, SeedSequence.BehaviorStream, subject, session);
                trajectory = Trajectory.Simulate(steps, StepSeconds, options.ArenaSizeMeters, rest, ref behaviorRng);
            }
            else
            {
                var arousalRng = SeedSequence.Generator(options.Seed, SeedSequence.LatentStream, subject, session, -1);
                arousal = LatentProcesses.Arousal(steps, StepSeconds, rest, ref arousalRng);
            }
        });
        return new SessionGrid(steps, latents, arousal!, trajectory!);
    }

    private static float[][] RegionLatents(SyntheticOptions options, int subject, int session, SubjectProfile profile, int region, int steps)
    {
        var signature = RegionSignature.For(options.Regions[region]);
        var rng = SeedSequence.Generator(options.Seed, SeedSequence.LatentStream, subject, session, region);
        var channels = new float[RegionChannels][];
        // Filled completely by LatentProcesses.Region: skip the zeroing.
        for (int c = 0; c < RegionChannels; c++) channels[c] = GC.AllocateUninitializedArray<float>(steps);
        LatentProcesses.Region(channels, steps, StepSeconds, signature, profile.RegionFrequencyScale[region], profile.RegionTimeScale[region], ref rng);
        return channels;
    }
}
