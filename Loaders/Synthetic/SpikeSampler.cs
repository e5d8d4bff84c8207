using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// Spikes of one unit by thinning in continuous time (Ogata's method). The conditional intensity is
/// lambda(t) = r(t) * h(t - t_last) * exp(-A(t)): r from the latents and behaviour (linearly interpolated on the 5 ms grid),
/// h the recovery after the last spike, A the adaptation. The envelope is r's bound B over a block times the
/// <see cref="HistoryEnvelope"/> bound of h over a segment after the last spike (exp(-A) is bounded by 1); candidates come
/// from a Poisson process at that piecewise-constant rate and are kept with probability lambda / envelope. After a
/// spike no candidate is drawn during the dead time (the Poisson process is memoryless, so it simply restarts there),
/// which makes refractoriness exact at no cost.
/// </summary>
/// <remarks>
/// Speed: the acceptance test runs in the log domain (keep when log B - E &lt; log lambda with E exponential, which is
/// U * B &lt; lambda with U = exp(-E)), and exponentials come from a ziggurat, so rejecting a candidate costs no
/// transcendental function; the history and place-field factors are computed only when cheaper bounds (the envelope's
/// values at the segment's ends, the block's place bound) have not decided. The exponential that places the next
/// candidate carries over block and segment ends, so crossing one costs no draw. Spike times go into a reusable buffer:
/// nothing is allocated per spike.
/// </remarks>
internal static class SpikeSampler
{
    /// <summary>Ceiling of r(t), Hz: keeps extreme latent excursions from producing absurd rates (and thinning bounds).</summary>
    public const double MaxRateHz = 300;

    private static readonly double LogMaxRate = Math.Log(MaxRateHz);

    /// <summary>Generates the unit's spikes in [0, duration) into <paramref name="buffer"/> (grown as needed); returns their number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Sample(UnitModel unit, SessionGrid grid, double duration, ref Xoshiro256StarStar rng, ref double[] buffer)
    {
        const int stride = SessionGrid.Stride;
        const double invStep = 1 / SessionGrid.StepSeconds;
        int level = unit.BlockLevel;
        int blockSteps = SessionGrid.BlockSteps << level;
        double blockSeconds = blockSteps * SessionGrid.StepSeconds;
        var table = grid.Tables[unit.Region];
        var blockMin = grid.BlockMin[unit.Region][level];
        var blockMax = grid.BlockMax[unit.Region][level];
        // The step index is clamped into the current block below, so every read is inside the table.
        ref float cells = ref MemoryMarshal.GetArrayDataReference(table);
        var w = unit.Loadings;
        double w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4];
        double c0 = unit.LogRateOffset, logCap = LogMaxRate;
        bool place = unit.PlaceGain != 0;
        double px = unit.PlaceX, py = unit.PlaceY, pk = unit.PlaceInvTwoSigmaSq, pg = unit.PlaceGain;
        double cvx = unit.VelocityX, cvy = unit.VelocityY;
        bool velocity = cvx != 0 || cvy != 0;
        double dead = unit.DeadSeconds, invRecovery = unit.RecoverySeconds > 0 ? 1 / unit.RecoverySeconds : 0;
        int power = unit.RecoveryPower;
        double adaptStep = unit.AdaptationStep, invAdaptTau = 1 / unit.AdaptationSeconds;
        bool bursts = unit.Bursts;
        var envelope = HistoryEnvelope.For(unit);
        var segmentEnds = envelope.Ends;
        var segmentLogs = envelope.LogRecovery;
        var segmentInvs = envelope.InvRecovery;
        var segmentLows = envelope.LogRecoveryAtStart;

        int count = 0;
        double t = 0, tLast = double.NegativeInfinity, adaptation = 0;
        int block = -1, blocks = grid.Blocks(level), firstStep = 0, lastStep = 0;
        double blockEnd = 0, logBound = 0, invBound = 0, placeBound = 0;
        // Recovery envelope: before the first spike h = 1 everywhere; after a spike, segment by segment (see HistoryEnvelope).
        int segment = segmentEnds.Length - 1;
        double segmentEnd = double.PositiveInfinity, logHistory = 0, invHistory = 1, logLow = 0;
        double logEnvelope = 0, invEnvelope = 0, rateEnvelope = 0;
        // Exponential mass (in units of the envelope's integral) left before the next candidate. It carries over block and
        // segment ends (time rescaling of the piecewise-constant envelope), so crossing one costs no random draw.
        double remaining = rng.NextExponential();
        while (true)
        {
            if (t >= blockEnd)
            {
                do
                {
                    block++;
                    blockEnd = (block + 1) * blockSeconds;
                }
                while (t >= blockEnd);
                if (block >= blocks || block * blockSeconds >= duration) break;
                firstStep = block * blockSteps;
                lastStep = firstStep + blockSteps - 1;
                logBound = BlockLogBound(unit, blockMin, blockMax, block, out placeBound);
                invBound = Math.Exp(-logBound);
                logEnvelope = logBound + logHistory;
                invEnvelope = invBound * invHistory;
                rateEnvelope = 1 / invEnvelope;
            }
            if (t >= segmentEnd)
            {
                do segmentEnd = tLast + segmentEnds[++segment];
                while (t >= segmentEnd);
                logHistory = segmentLogs[segment];
                logLow = segmentLows[segment];
                invHistory = segmentInvs[segment];
                logEnvelope = logBound + logHistory;
                invEnvelope = invBound * invHistory;
                rateEnvelope = 1 / invEnvelope;
            }
            double end = blockEnd < segmentEnd ? blockEnd : segmentEnd;
            double candidate = t + remaining * invEnvelope;
            if (candidate >= end)
            {
                // No candidate left in this block or segment: spend the mass it held and go on at the next one.
                remaining = Math.Max(0, remaining - (end - t) * rateEnvelope);
                t = end;
                continue;
            }
            t = candidate;
            remaining = rng.NextExponential();
            if (t >= duration) break;

            // log U * B * hmax = log B + log hmax - E; keep the candidate while this stays below log lambda.
            double threshold = logEnvelope - rng.NextExponential();
            double pos = t * invStep;
            int i = (int)pos;
            if (i > lastStep) i = lastStep;
            if (i < firstStep) i = firstStep;
            double f = pos - i;
            if (f > 1) f = 1;
            ref float a = ref Unsafe.Add(ref cells, i * stride);
            double logRate = c0
                + w0 * Lerp(ref a, SessionGrid.Slow, f)
                + w1 * Lerp(ref a, SessionGrid.OscCos, f)
                + w2 * Lerp(ref a, SessionGrid.OscSin, f)
                + w3 * Lerp(ref a, SessionGrid.Fast, f)
                + w4 * Lerp(ref a, SessionGrid.Arousal, f);
            if (velocity) logRate += cvx * Lerp(ref a, SessionGrid.Vx, f) + cvy * Lerp(ref a, SessionGrid.Vy, f);
            // The place term is positive: compute it only when the rest of the rate does not already pass.
            // The block's bound of the place term rejects most such candidates without the exponential.
            if (place && threshold >= logRate && threshold < logRate + placeBound + 1e-9)
            {
                double dx = Lerp(ref a, SessionGrid.X, f) - px, dy = Lerp(ref a, SessionGrid.Y, f) - py;
                logRate += pg * Math.Exp(-(dx * dx + dy * dy) * pk);
            }
            if (logRate > logCap) logRate = logCap;
            if (threshold >= logRate) continue;
            threshold -= logRate; // now negative: the history factors' logs must stay above it
            // log h - A is at most the envelope's log h on this segment: candidates above it fail without computing anything.
            if (threshold >= logHistory) continue;

            // History factors (logs <= 0), the cheaper first.
            double since = t - tLast;
            double decayed = 0;
            if (adaptStep > 0)
            {
                decayed = adaptation * Math.Exp(-since * invAdaptTau);
                threshold += decayed;
                if (threshold >= 0) continue;
            }
            // Below the recovery's value at the segment start the candidate passes without computing h.
            if (power > 0 && threshold >= logLow)
            {
                double x = (since - dead) * invRecovery;
                if (x < 30 && threshold >= power * Math.Log(1 - Math.Exp(-x))) continue;
            }

            if (bursts)
            {
                tLast = EmitBurst(unit, t, duration, ref rng, ref buffer, ref count);
            }
            else
            {
                if (count == buffer.Length) Array.Resize(ref buffer, Math.Max(16, buffer.Length * 2));
                buffer[count++] = t;
                adaptation = decayed + adaptStep;
                tLast = t;
            }
            t = tLast + dead;
            segment = 0;
            segmentEnd = tLast + segmentEnds[0];
            logHistory = segmentLogs[0];
            logLow = segmentLows[0];
            invHistory = segmentInvs[0];
            logEnvelope = logBound + logHistory;
            invEnvelope = invBound * invHistory;
            rateEnvelope = 1 / invEnvelope;
        }
        return count;
    }

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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Lerp(ref float record, int channel, double f)
    {
        double a = Unsafe.Add(ref record, channel);
        return a + f * (Unsafe.Add(ref record, channel + SessionGrid.Stride) - a);
    }

    /// <summary>
    /// Upper bound of log r(t) over a block, given the block ranges of the unit's region at the unit's level;
    /// <paramref name="placeBound"/> receives the place term's share of it (0 without a place field).
    /// </summary>
    /// <remarks>Written out channel by channel: the sampler calls this once per block, often enough that a loop over the loadings showed.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double BlockLogBound(UnitModel unit, float[] min, float[] max, int block, out double placeBound)
    {
        int o = block * SessionGrid.Stride;
        var w = unit.Loadings;
        double bound = unit.LogRateOffset
            + ChannelBound(w[SessionGrid.Slow], min[o + SessionGrid.Slow], max[o + SessionGrid.Slow])
            + ChannelBound(w[SessionGrid.OscCos], min[o + SessionGrid.OscCos], max[o + SessionGrid.OscCos])
            + ChannelBound(w[SessionGrid.OscSin], min[o + SessionGrid.OscSin], max[o + SessionGrid.OscSin])
            + ChannelBound(w[SessionGrid.Fast], min[o + SessionGrid.Fast], max[o + SessionGrid.Fast])
            + ChannelBound(w[SessionGrid.Arousal], min[o + SessionGrid.Arousal], max[o + SessionGrid.Arousal])
            + ChannelBound(unit.VelocityX, min[o + SessionGrid.Vx], max[o + SessionGrid.Vx])
            + ChannelBound(unit.VelocityY, min[o + SessionGrid.Vy], max[o + SessionGrid.Vy]);
        placeBound = 0;
        if (unit.PlaceGain != 0)
        {
            // The field peaks at its centre: the bound is its value at the point of the block's bounding box nearest the centre.
            double dx = Math.Clamp(unit.PlaceX, min[o + SessionGrid.X], max[o + SessionGrid.X]) - unit.PlaceX;
            double dy = Math.Clamp(unit.PlaceY, min[o + SessionGrid.Y], max[o + SessionGrid.Y]) - unit.PlaceY;
            placeBound = unit.PlaceGain * Math.Exp(-(dx * dx + dy * dy) * unit.PlaceInvTwoSigmaSq);
            bound += placeBound;
        }
        // A hair above the exact bound, so float rounding of the interpolation can never push r past it.
        return Math.Min(bound, LogMaxRate) + 1e-9;
    }

    /// <summary>Largest value of w * x over x in [lo, hi]; branch-free, as the sign of w varies between units.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ChannelBound(double w, double lo, double hi) => Math.Max(w * lo, w * hi);
}
