using System.Text;

namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// The temporal signature of a region's latent dynamics: a slow Ornstein-Uhlenbeck factor, a noisy damped oscillation
/// and a fast Ornstein-Uhlenbeck factor, plus the oscillation phase its units prefer. It depends on the region name
/// only, so a region looks alike in every subject (up to <see cref="SubjectProfile"/> jitter) and session.
/// </summary>
/// <param name="SlowSeconds">Time constant of the slow factor.</param>
/// <param name="OscillationHz">Centre frequency of the oscillation.</param>
/// <param name="OscillationDampingSeconds">Decay time of the oscillation's phase memory (bandwidth about 1/(pi * this)).</param>
/// <param name="FastSeconds">Time constant of the fast factor.</param>
/// <param name="PreferredPhase">Mean phase (radians) at which the region's units fire on the oscillation.</param>
internal sealed record RegionSignature(double SlowSeconds, double OscillationHz, double OscillationDampingSeconds, double FastSeconds, double PreferredPhase)
{
    private static readonly Dictionary<string, RegionSignature> BuiltIn = new(StringComparer.OrdinalIgnoreCase)
    {
        // Loosely physiological: V1 gamma-band synchrony and fast state changes; hippocampal theta (CA1 sharper and
        // faster than DG, DG slower); thalamic spindle-band rhythm; PFC slow and weakly rhythmic.
        ["V1"] = new(0.4, 30, 0.08, 0.020, 0.0),
        ["CA1"] = new(1.0, 8, 0.50, 0.030, 1.2),
        ["DG"] = new(2.0, 6, 0.25, 0.050, 2.4),
        ["TH"] = new(0.6, 11, 0.30, 0.015, 3.6),
        ["CA3"] = new(1.5, 7.5, 0.35, 0.025, 4.8),
        ["PFC"] = new(3.0, 4, 0.20, 0.040, 0.6),
    };

    /// <summary>The signature of a named region: built in for common names, otherwise derived from the name's bytes.</summary>
    public static RegionSignature For(string name)
    {
        if (BuiltIn.TryGetValue(name, out var known)) return known;
        // FNV-1a of the UTF-8 name: stable across processes, unlike string.GetHashCode.
        ulong hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(name)) hash = (hash ^ b) * 1099511628211UL;
        var rng = new Xoshiro256StarStar(hash);
        return new RegionSignature(
            SlowSeconds: Math.Exp(rng.Uniform(Math.Log(0.3), Math.Log(3))),
            OscillationHz: Math.Exp(rng.Uniform(Math.Log(3), Math.Log(30))),
            OscillationDampingSeconds: rng.Uniform(0.1, 0.5),
            FastSeconds: rng.Uniform(0.012, 0.06),
            PreferredPhase: rng.Uniform(0, 2 * Math.PI));
    }
}
