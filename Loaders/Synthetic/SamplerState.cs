namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// Where one unit's thinning stands between two tiles of the grid (<see cref="SpikeSampler.Advance"/> runs tile by tile so
/// that the grid data of a tile stay in cache while every unit of a worker passes over them): time, step, envelope mass
/// left before the next candidate, history, random generator and the spikes so far.
/// </summary>
internal sealed class SamplerState
{
    /// <summary>Creates the state at t = 0, before any spike.</summary>
    public SamplerState(UnitModel unit, Xoshiro256StarStar rng, int capacity)
    {
        Unit = unit;
        Envelope = HistoryEnvelope.For(unit);
        Rng = rng;
        // Only the first Count entries are ever read: an uninitialised buffer leaves the unused tail's pages untouched.
        Spikes = GC.AllocateUninitializedArray<double>(Math.Max(16, capacity));
        Remaining = Rng.NextExponential();
    }

    /// <summary>The unit being sampled.</summary>
    public UnitModel Unit { get; }

    /// <summary>Its history bounds.</summary>
    public HistoryEnvelope Envelope { get; }

    /// <summary>The unit's own generator (a field, so the sampler can pass it by reference).</summary>
    public Xoshiro256StarStar Rng;

    /// <summary>Spike times so far (the first <see cref="Count"/> entries).</summary>
    public double[] Spikes;

    /// <summary>Number of spikes so far.</summary>
    public int Count;

    /// <summary>Candidates drawn so far (a diagnostic of the envelope's tightness).</summary>
    public long Candidates;

    /// <summary>Current time and its grid step; <see cref="AtStepStart"/> when Time is exactly Step * dt.</summary>
    public double Time;

    /// <summary>Grid step that contains <see cref="Time"/>.</summary>
    public int Step;

    /// <summary>Whether <see cref="Time"/> is exactly at the start of <see cref="Step"/>.</summary>
    public bool AtStepStart = true;

    /// <summary>Envelope mass (an exponential draw) left before the next candidate.</summary>
    public double Remaining;

    /// <summary>Last spike (last spike of the last burst), -infinity before the first.</summary>
    public double LastSpike = double.NegativeInfinity;

    /// <summary>Adaptation A just after the last spike.</summary>
    public double Adaptation;

    /// <summary>Adaptation left at <see cref="AdaptationEnd"/>, and the bound factor exp(-that) used until then.</summary>
    public double AdaptationLeft, AdaptationFactor = 1;

    /// <summary>Chunk boundary until which <see cref="AdaptationFactor"/> holds (+infinity once it is 1).</summary>
    public double AdaptationEnd = double.PositiveInfinity;

    /// <summary>True once the session end is reached.</summary>
    public bool Done;
}
