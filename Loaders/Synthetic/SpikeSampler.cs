using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// Spikes of one unit by thinning in continuous time (Ogata's method). The conditional intensity is
/// lambda(t) = r(t) * h(t - t_last) * exp(-A(t)): r the unit's rate, linear between the points of the 5 ms grid
/// (<see cref="UnitRateGrid"/>), h the recovery after the last spike, A the adaptation. The envelope is r's exact bound over
/// each step times the <see cref="HistoryEnvelope"/> bounds of h and exp(-A) over the step or chunk; candidates come
/// from a Poisson process at that piecewise-constant rate and are kept with probability lambda / envelope. After a spike no
/// candidate is drawn during the dead time (the Poisson process is memoryless, so it simply restarts there), which makes
/// refractoriness exact at no cost.
/// </summary>
/// <remarks>
/// Speed: the envelope is tight (about 1.1-1.2 candidates per spike), and between candidates the sampler only subtracts
/// precomputed masses: step by step during the recovery, else a chunk of 8 steps (40 ms) at once, or a block of 8 chunks
/// once the history factor is 1. The exponential that places the next candidate carries over step, chunk and block ends
/// (time rescaling of the piecewise-constant envelope), so crossing one costs no draw. Candidates are decided by bounds of
/// the history factor from both sides where possible (a squeeze), so most cost no transcendental function. Spike times go
/// into a reusable buffer: nothing is allocated per spike.
/// </remarks>
internal static class SpikeSampler
{
    /// <summary>Ceiling of r(t), Hz: keeps extreme latent excursions from producing absurd rates (and thinning bounds).</summary>
    public const double MaxRateHz = 300;

    /// <summary>
    /// Samples the unit of <paramref name="state"/> up to the end of the tile that <paramref name="rates"/> holds (or the
    /// session end), continuing from where the previous tile stopped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Advance(SamplerState state, UnitRateGrid rates, double duration)
    {
        const double dt = SessionGrid.StepSeconds, invDt = 1 / SessionGrid.StepSeconds;
        const int chunkSteps = SessionGrid.ChunkSteps;
        const double chunkSeconds = chunkSteps * dt;
        const int blockSteps = chunkSteps * UnitRateGrid.ChunksPerBlock;
        var unit = state.Unit;
        int first = rates.FirstStep;
        double limit = Math.Min(duration, (first + rates.TileSteps) * dt);
        // The arrays hold the tile only: step i is at index i - first, for steps inside [first, first + TileSteps). The
        // references must point into the arrays, never before them (as a reference shifted back by first would): the GC
        // relocates a reference by the object it points into, so one pointing outside its array is not moved with it when
        // a collection on any thread compacts the heap during this call, and then reads whatever memory it points at.
        ref float rate = ref MemoryMarshal.GetArrayDataReference(rates.Rate);
        ref float stepBound = ref MemoryMarshal.GetArrayDataReference(rates.StepBound);
        ref double chunkMass = ref MemoryMarshal.GetArrayDataReference(rates.ChunkMass);
        ref double blockMass = ref MemoryMarshal.GetArrayDataReference(rates.BlockMass);
        int last = first + rates.TileSteps;
        double dead = unit.DeadSeconds, invRecovery = unit.RecoverySeconds > 0 ? 1 / unit.RecoverySeconds : 0;
        int power = unit.RecoveryPower;
        double adaptStep = unit.AdaptationStep, invAdaptTau = 1 / unit.AdaptationSeconds;
        var envelope = state.Envelope;
        var recovery = envelope.Recovery;
        double invResolution = envelope.InvResolution, recoverySpan = envelope.Span, chunkDecay = envelope.ChunkDecay;

        double t = state.Time, tLast = state.LastSpike, remaining = state.Remaining;
        int i = state.Step;
        bool atStepStart = state.AtStepStart;
        if (i < first)
        {
            // The previous tile stopped on a candidate that rounding put exactly at its end, t = first * dt, still inside
            // that tile's last step, first - 1. No envelope mass is left in that step after t: go on from this tile's first step.
            i = first;
            atStepStart = true;
        }
        double adaptation = state.Adaptation, adaptationLeft = state.AdaptationLeft, adaptationFactor = state.AdaptationFactor;
        double adaptationEnd = state.AdaptationEnd;
        // Until here the recovery bound comes from the table; after it, it is 1.
        double recovered = tLast + dead + recoverySpan;
        long candidates = 0;
        while (true)
        {
            if (t >= limit) break;
            if (t >= adaptationEnd)
            {
                // Next chunk: A decays by a fixed factor per chunk; its value at the chunk's end bounds exp(-A) over the chunk.
                adaptationLeft *= chunkDecay;
                adaptationEnd += chunkSeconds;
                if (adaptationLeft < 1e-4)
                {
                    adaptationFactor = 1;
                    adaptationEnd = double.PositiveInfinity;
                }
                else adaptationFactor = ExpNegBound(adaptationLeft);
            }
            if (atStepStart && (i & (blockSteps - 1)) == 0 && t >= recovered && adaptationFactor == 1 && i + blockSteps <= last)
            {
                // History factor 1 until the next spike: a whole block can go in one subtraction.
                double mass = Unsafe.Add(ref blockMass, (i - first) / blockSteps);
                if (remaining >= mass)
                {
                    remaining -= mass;
                    i += blockSteps;
                    t = i * dt;
                    continue;
                }
            }
            if (atStepStart && (i & (chunkSteps - 1)) == 0 && t >= recovered)
            {
                // A whole chunk under one envelope factor: skip it in one subtraction when no candidate falls in it.
                double mass = Unsafe.Add(ref chunkMass, (i - first) / chunkSteps) * adaptationFactor;
                if (remaining >= mass)
                {
                    remaining -= mass;
                    i += chunkSteps;
                    t = i * dt;
                    continue;
                }
            }
            double end = (i + 1) * dt;
            double bound = Unsafe.Add(ref stepBound, i - first) * adaptationFactor;
            if (end < recovered)
            {
                // The tabulated recovery at or after the step's end bounds it over the step.
                int k = (int)Math.Ceiling((end - tLast - dead) * invResolution);
                if (k < recovery.Length) bound *= recovery[k];
            }
            double stepMass = (end - t) * bound;
            if (remaining >= stepMass)
            {
                // No candidate left in this step: spend the mass it held and go on.
                remaining -= stepMass;
                t = end;
                atStepStart = true;
                i++;
                continue;
            }
            t = Math.Min(t + remaining / bound, end); // rounding must not carry t past the step
            atStepStart = false;
            remaining = state.Rng.NextExponential();
            if (t >= limit) break;
            candidates++;

            // lambda(t): the rate, linear inside step i, times the history factors.
            double f = Math.Clamp((t - i * dt) * invDt, 0, 1);
            float left = Unsafe.Add(ref rate, i - first);
            double lambda = left + f * (Unsafe.Add(ref rate, i + 1 - first) - left);
            double since = t - tLast;
            double u = state.Rng.NextDouble() * bound; // keep the candidate when u < lambda
            // Squeeze: the recovery table and the adaptation's range over the current chunk bound the history factor from
            // both sides, which decides most candidates without a transcendental function.
            double low = lambda, high = lambda;
            if (power > 0 && tLast > double.NegativeInfinity)
            {
                int k = (int)((since - dead) * invResolution);
                if (k + 1 < recovery.Length)
                {
                    low *= recovery[k];
                    high *= recovery[k + 1];
                }
                else low *= recovery[Math.Min(k, recovery.Length - 1)];
            }
            if (adaptation > 0)
            {
                // Over the chunk ending at adaptationEnd, A lies between its values at the chunk's end and start.
                if (adaptationEnd < double.PositiveInfinity)
                {
                    low *= ExpNegLowerBound(adaptationLeft / chunkDecay);
                    high *= ExpNegBound(adaptationLeft);
                }
                else low = 0;
            }
            if (u >= high) continue;
            if (u >= low)
            {
                // Undecided: the exact history factors.
                if (adaptation > 0) lambda *= Math.Exp(-adaptation * Math.Exp(-since * invAdaptTau));
                if (power > 0)
                {
                    double x = (since - dead) * invRecovery;
                    if (x < 30) lambda *= HistoryEnvelope.Recover(x, power);
                }
                if (u >= lambda) continue;
            }

            if (unit.Bursts)
            {
                tLast = EmitBurst(unit, t, duration, ref state.Rng, ref state.Spikes, ref state.Count);
            }
            else
            {
                if (state.Count == state.Spikes.Length) Array.Resize(ref state.Spikes, state.Spikes.Length * 2);
                state.Spikes[state.Count++] = t;
                if (adaptStep > 0) adaptation = (adaptation > 0 ? adaptation * Math.Exp(-since * invAdaptTau) : 0) + adaptStep;
                tLast = t;
            }
            t = tLast + dead;
            recovered = t + recoverySpan;
            i = (int)(t * invDt);
            if (i * dt > t) i--; // guard the rounding of t / dt either way
            else if ((i + 1) * dt <= t) i++;
            atStepStart = t == i * dt;
            if (adaptation > 0)
            {
                // exp(-A) is bounded chunk by chunk, from the first chunk boundary after t.
                adaptationEnd = Math.Floor(t * (1 / chunkSeconds)) * chunkSeconds + chunkSeconds;
                if (adaptationEnd <= t) adaptationEnd += chunkSeconds;
                adaptationLeft = adaptation * Math.Exp(-(adaptationEnd - tLast) * invAdaptTau);
                adaptationFactor = ExpNegBound(adaptationLeft);
            }
        }
        state.Time = t;
        state.Step = i;
        state.AtStepStart = atStepStart;
        state.Remaining = remaining;
        state.LastSpike = tLast;
        state.Adaptation = adaptation;
        state.AdaptationLeft = adaptationLeft;
        state.AdaptationFactor = adaptationFactor;
        state.AdaptationEnd = adaptationEnd;
        state.Candidates += candidates;
        state.Done = t >= duration;
    }

    /// <summary>
    /// An upper bound of exp(-a) for a &gt;= 0 without a transcendental function: exp(a) &gt;= 1 + a + a^2 / 2, so
    /// exp(-a) &lt;= 1 / (1 + a + a^2 / 2), within 1.3% of exp(-a) for a &lt;= 0.5.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ExpNegBound(double a) => 1 / (1 + a * (1 + 0.5 * a));

    /// <summary>A lower bound of exp(-a) for a &gt;= 0: the Taylor series cut after its negative cubic term (within 0.4% for a &lt;= 0.5).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ExpNegLowerBound(double a) => Math.Max(0, 1 - a * (1 - a * (0.5 - a * (1.0 / 6))));

    /// <summary>Writes a burst (or, with probability <see cref="CellTypeProfile.SingleSpikeShare"/>, a single spike) starting at <paramref name="start"/>; returns its last spike time.</summary>
    private static double EmitBurst(UnitModel unit, double start, double duration, ref Xoshiro256StarStar rng, ref double[] buffer, ref int count)
    {
        int size = rng.NextDouble() < CellTypeProfile.SingleSpikeShare ? 1 : 2 + rng.NextInt(unit.MaxBurstSpikes - 1);
        const double minIsi = CellTypeProfile.BurstIsiMinMs / 1000, maxIsi = CellTypeProfile.BurstIsiMaxMs / 1000;
        double t = start;
        for (int k = 0; k < size; k++)
        {
            if (k > 0)
            {
                // Intervals lengthen through the burst, as in complex-spike bursts, with a little jitter.
                double isi = unit.BurstIsiSeconds + (k - 1) * unit.BurstIsiGrowthSeconds + 0.001 * (rng.NextDouble() - 0.5);
                double next = t + Math.Clamp(isi, minIsi, maxIsi);
                if (next >= duration) break;
                t = next;
            }
            if (count == buffer.Length) Array.Resize(ref buffer, Math.Max(16, buffer.Length * 2));
            buffer[count++] = t;
        }
        return t;
    }
}
