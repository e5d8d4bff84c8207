using MLNeuro.Loaders;

namespace MLNeuro.Transforms;

/// <summary>
/// Removes a random subset of the units present in a view. The unit table is not re-indexed (index i stays the same
/// neuron across views); the dropped units' spikes are removed and <see cref="AugmentedView.KeptUnits"/> lists the
/// survivors. Calcium traces, if any, are left whole: consumers mask them with <see cref="AugmentedView.KeptUnits"/>.
/// </summary>
/// <remarks>
/// With n units present and a drawn keep fraction f, the view keeps round(f·n) units (half away from zero), at least
/// <see cref="UnitDropoutOptions.MinKeptUnits"/> and at most n, chosen uniformly without replacement (partial
/// Fisher-Yates shuffle).
/// </remarks>
/// <example><code>
/// var dropout = new UnitDropout(new UnitDropoutOptions { MinKeepFraction = 0.7 });
/// AugmentedView view = dropout.Apply(AugmentedView.Of(window), new Random(seed));
/// </code></example>
public sealed class UnitDropout : IViewAugmentation
{
    /// <summary>Creates the augmentation; throws <see cref="ArgumentOutOfRangeException"/> naming a bad option.</summary>
    public UnitDropout(UnitDropoutOptions? options = null)
    {
        Options = options ?? new UnitDropoutOptions();
        Options.Validate();
    }

    /// <summary>The options in use.</summary>
    public UnitDropoutOptions Options { get; }

    /// <summary>Draws the fraction of units to keep, following <see cref="UnitDropoutOptions.Distribution"/>.</summary>
    public double SampleKeepFraction(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (Options.Distribution == DropoutDistribution.Uniform)
            return Options.MinKeepFraction + random.NextDouble() * (Options.MaxKeepFraction - Options.MinKeepFraction);
        return 1 - Triangular(random.NextDouble(), Options.MinDropFraction, Options.ModeDropFraction, Options.MaxDropFraction);
    }

    /// <summary>Inverse CDF of the triangular distribution on [a, b] with mode c, at probability p.</summary>
    internal static double Triangular(double p, double a, double c, double b)
    {
        double width = b - a;
        if (width <= 0) return a;
        double split = (c - a) / width;
        return p < split ? a + Math.Sqrt(p * width * (c - a)) : b - Math.Sqrt((1 - p) * width * (b - c));
    }

    /// <inheritdoc />
    public AugmentedView Apply(AugmentedView view, Random random)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(random);
        var present = view.KeptUnits;
        int n = present.Length;
        int keep = (int)Math.Round(SampleKeepFraction(random) * n, MidpointRounding.AwayFromZero);
        keep = Math.Clamp(keep, Math.Min(Options.MinKeptUnits, n), n);

        // Partial Fisher-Yates: the first `keep` slots end up a uniform sample without replacement.
        var pool = present.ToArray();
        for (int i = 0; i < keep; i++)
        {
            int j = random.Next(i, n);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        var kept = pool.AsSpan(0, keep).ToArray();
        Array.Sort(kept);

        var recording = view.Recording;
        var map = new int[recording.Units.Count];
        Array.Fill(map, -1);
        foreach (var u in kept) map[u] = u; // identity on survivors: no re-indexing
        var spikes = RecordingSubset.FilterSpikes(recording.Spikes, map, recording.Units.Count);
        var filtered = new Recording(recording.SessionId, recording.SubjectId, recording.Units, spikes, recording.StartSeconds,
            recording.EndSeconds, recording.Behavior, recording.Intervals, recording.Traces);
        return AugmentedView.Create(filtered, kept);
    }
}
