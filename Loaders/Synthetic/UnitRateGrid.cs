using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// One unit's rate on one tile of the session grid, the part of its conditional intensity that does not depend on its own
/// spikes: the rate at every grid point (exp of the latent, velocity and place terms, capped), the upper bound of the rate
/// over each 5 ms step, and that bound's integral over each chunk of <see cref="SessionGrid.ChunkSteps"/> steps. All of it is
/// computed in vector passes over the channel arrays; the sampler then only walks these arrays. A tile is
/// <see cref="MaxTileSteps"/> steps (10 s), so a tile's grid data and these buffers stay in cache while the units of a
/// worker pass over it. Buffers are reused from unit to unit, one instance per worker.
/// </summary>
/// <remarks>
/// Between grid points the rate is linear, so its larger end value bounds it over the step exactly, and the sampler's
/// bound and rate come from the same numbers. The exp at the grid points is <see cref="FastExp"/> (relative error of
/// about 1e-6 for the log rates that occur), part of the model's definition and far below its noise.
/// </remarks>
internal sealed class UnitRateGrid
{
    private const int Width = 8; // floats per Vector256

    /// <summary>Steps per tile (a multiple of the chunk size).</summary>
    public const int MaxTileSteps = 2048;

    /// <summary>First grid step of the current tile (a multiple of the chunk size).</summary>
    public int FirstStep { get; private set; }

    /// <summary>Steps in the current tile (whole chunks); arrays are indexed by step minus <see cref="FirstStep"/>.</summary>
    public int TileSteps { get; private set; }

    /// <summary>Rate (Hz) at each grid point of the tile and the point after it, at most <see cref="SpikeSampler.MaxRateHz"/>.</summary>
    public float[] Rate { get; } = new float[MaxTileSteps + Width];

    /// <summary>Upper bound of the rate (Hz) over each step i of the tile, [i dt, (i+1) dt].</summary>
    public float[] StepBound { get; } = new float[MaxTileSteps];

    /// <summary>Integral of <see cref="StepBound"/> over each chunk of the tile (expected candidates before history).</summary>
    public double[] ChunkMass { get; } = new double[MaxTileSteps / Width];

    /// <summary>Integral of <see cref="StepBound"/> over each block of <see cref="ChunksPerBlock"/> chunks of the tile (the last block may be partial).</summary>
    public double[] BlockMass { get; } = new double[MaxTileSteps / Width / ChunksPerBlock];

    /// <summary>Chunks per block: a sparse unit skips a block (320 ms) at once when no candidate falls in it.</summary>
    public const int ChunksPerBlock = 8;

    /// <summary>Number of tiles that cover the grid's chunks.</summary>
    public static int Tiles(SessionGrid grid) => (grid.Chunks * Width + MaxTileSteps - 1) / MaxTileSteps;

    /// <summary>Fills the arrays for <paramref name="unit"/> on tile <paramref name="tile"/>.</summary>
    public void Compute(UnitModel unit, SessionGrid grid, int tile)
    {
        FirstStep = tile * MaxTileSteps;
        TileSteps = Math.Min(MaxTileSteps, grid.Chunks * Width - FirstStep);
        // The tile's last step needs the point after it: one more vector of rates (inside the grid, which ends a chunk later).
        FillRate(unit, grid, FirstStep, TileSteps + Width);
        FillBounds(TileSteps / Width);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillRate(UnitModel unit, SessionGrid grid, int first, int points)
    {
        var latents = grid.Latents[unit.Region];
        var path = grid.Trajectory;
        var w = unit.Loadings;
        var c0 = Vector256.Create((float)unit.LogRateOffset);
        var cap = Vector256.Create((float)Math.Log(SpikeSampler.MaxRateHz)); // exp of it stays within a float ulp or so of the cap
        var w0 = Vector256.Create((float)w[SessionGrid.Slow]);
        var w1 = Vector256.Create((float)w[SessionGrid.OscCos]);
        var w2 = Vector256.Create((float)w[SessionGrid.OscSin]);
        var w3 = Vector256.Create((float)w[SessionGrid.Fast]);
        var w4 = Vector256.Create((float)w[SessionGrid.Arousal]);
        var kx = Vector256.Create((float)unit.VelocityX);
        var ky = Vector256.Create((float)unit.VelocityY);
        var px = Vector256.Create((float)unit.PlaceX);
        var py = Vector256.Create((float)unit.PlaceY);
        var pk = Vector256.Create((float)-unit.PlaceInvTwoSigmaSq);
        var pg = Vector256.Create((float)unit.PlaceGain);
        bool velocity = unit.VelocityX != 0 || unit.VelocityY != 0, place = unit.PlaceGain != 0;
        ref float slow = ref Start(latents[SessionGrid.Slow], first);
        ref float cos = ref Start(latents[SessionGrid.OscCos], first);
        ref float sin = ref Start(latents[SessionGrid.OscSin], first);
        ref float fast = ref Start(latents[SessionGrid.Fast], first);
        ref float arousal = ref Start(grid.ArousalFactor, first);
        ref float x = ref Start(path.X, first);
        ref float y = ref Start(path.Y, first);
        ref float vx = ref Start(path.Vx, first);
        ref float vy = ref Start(path.Vy, first);
        ref float output = ref Start(Rate, 0);
        // first and points are multiples of the vector width, and first + points <= Steps, the length of every channel.
        for (nuint i = 0; i < (nuint)points; i += Width)
        {
            var l = c0 + w0 * Vector256.LoadUnsafe(ref slow, i) + w1 * Vector256.LoadUnsafe(ref cos, i)
                + w2 * Vector256.LoadUnsafe(ref sin, i) + w3 * Vector256.LoadUnsafe(ref fast, i) + w4 * Vector256.LoadUnsafe(ref arousal, i);
            if (velocity) l += kx * Vector256.LoadUnsafe(ref vx, i) + ky * Vector256.LoadUnsafe(ref vy, i);
            if (place)
            {
                var dx = Vector256.LoadUnsafe(ref x, i) - px;
                var dy = Vector256.LoadUnsafe(ref y, i) - py;
                l += pg * FastExp.Exp((dx * dx + dy * dy) * pk);
            }
            FastExp.Exp(Vector256.Min(l, cap)).StoreUnsafe(ref output, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillBounds(int chunks)
    {
        ref float rate = ref Start(Rate, 0);
        ref float bound = ref Start(StepBound, 0);
        var mass = ChunkMass;
        for (int c = 0; c < chunks; c++)
        {
            nuint i = (nuint)(c * Width);
            // Step i's ends are points i and i + 1: the larger rate bounds the step.
            var b = Vector256.Max(Vector256.LoadUnsafe(ref rate, i), Vector256.LoadUnsafe(ref rate, i + 1));
            b.StoreUnsafe(ref bound, i);
            mass[c] = Sum(b) * SessionGrid.StepSeconds;
        }
        var blocks = BlockMass;
        for (int c = 0; c < chunks; c += ChunksPerBlock)
        {
            double sum = 0;
            for (int k = c; k < Math.Min(chunks, c + ChunksPerBlock); k++) sum += mass[k];
            blocks[c / ChunksPerBlock] = sum;
        }
    }

    /// <summary>Sum of the lanes in a fixed order (so the same on every machine), cheaper than a generic horizontal sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Sum(Vector256<float> v)
    {
        var s = v.GetLower() + v.GetUpper();
        s += Vector128.Shuffle(s, Vector128.Create(2, 3, 0, 1));
        s += Vector128.Shuffle(s, Vector128.Create(1, 0, 3, 2));
        return s.ToScalar();
    }

    private static ref float Start(float[] array, int offset) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), offset);
}
