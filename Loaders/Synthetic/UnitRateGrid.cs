using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// One unit's rate on one tile of the session grid, the part of its conditional intensity that does not depend on its own
/// spikes: the log rate at every grid point (latents, velocity and place terms, capped), the upper bound of the rate over
/// each 5 ms step, and that bound's integral over each chunk of <see cref="SessionGrid.ChunkSteps"/> steps. All of it is
/// computed in vector passes over the channel arrays; the sampler then only walks these arrays. A tile is
/// <see cref="MaxTileSteps"/> steps (10 s), so a tile's grid data and these buffers stay in cache while the units of a
/// worker pass over it. Buffers are reused from unit to unit, one instance per worker.
/// </summary>
/// <remarks>
/// Between grid points the log rate is linear, so the rate is monotone within a step and its larger end value bounds it
/// over the step exactly (inflated by <see cref="FastExp.MaxRelativeError"/>, since it comes from the fast exp).
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

    /// <summary>Log rate (log Hz) at each grid point of the tile and the point after it, capped at log <see cref="SpikeSampler.MaxRateHz"/>.</summary>
    public float[] LogRate { get; } = new float[MaxTileSteps + Width];

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
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Compute(UnitModel unit, SessionGrid grid, int tile)
    {
        FirstStep = tile * MaxTileSteps;
        TileSteps = Math.Min(MaxTileSteps, grid.Chunks * Width - FirstStep);
        // The tile's last step needs the point after it: one more vector of log rates (inside the grid, which ends a chunk later).
        FillLogRate(unit, grid, FirstStep, TileSteps + Width);
        FillBounds(TileSteps / Width);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillLogRate(UnitModel unit, SessionGrid grid, int first, int points)
    {
        var latents = grid.Latents[unit.Region];
        var path = grid.Trajectory;
        var w = unit.Loadings;
        var c0 = Vector256.Create((float)unit.LogRateOffset);
        var cap = Vector256.Create((float)Math.Log(SpikeSampler.MaxRateHz));
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
        ref float output = ref Start(LogRate, 0);
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
            Vector256.Min(l, cap).StoreUnsafe(ref output, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillBounds(int chunks)
    {
        var inflate = Vector256.Create(1 + FastExp.MaxRelativeError);
        ref float log = ref Start(LogRate, 0);
        ref float bound = ref Start(StepBound, 0);
        var mass = ChunkMass;
        for (int c = 0; c < chunks; c++)
        {
            nuint i = (nuint)(c * Width);
            // Step i's ends are points i and i + 1: the larger log rate bounds the step.
            var b = FastExp.Exp(Vector256.Max(Vector256.LoadUnsafe(ref log, i), Vector256.LoadUnsafe(ref log, i + 1))) * inflate;
            b.StoreUnsafe(ref bound, i);
            mass[c] = Vector256.Sum(b) * SessionGrid.StepSeconds;
        }
        var blocks = BlockMass;
        for (int c = 0; c < chunks; c += ChunksPerBlock)
        {
            double sum = 0;
            for (int k = c; k < Math.Min(chunks, c + ChunksPerBlock); k++) sum += mass[k];
            blocks[c / ChunksPerBlock] = sum;
        }
    }

    private static ref float Start(float[] array, int offset) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), offset);
}
