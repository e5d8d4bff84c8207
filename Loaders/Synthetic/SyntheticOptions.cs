namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// Settings of <see cref="SyntheticDataset"/>. Every default is documented on its property; <see cref="Validate"/> (called
/// by every generator entry point) throws <see cref="ArgumentOutOfRangeException"/> naming the option at fault.
/// docs/synthetic-data.md describes the generative model these settings feed.
/// </summary>
/// <example><code>
/// var options = new SyntheticOptions { Subjects = 2, UnitsPerSession = 32, DurationSeconds = 60, Seed = 7 };
/// foreach (Recording session in SyntheticDataset.Generate(options)) Console.WriteLine(session.Spikes.Count);
/// </code></example>
public sealed class SyntheticOptions
{
    /// <summary>The regions of every session when <see cref="Regions"/> is not set: visual cortex, CA1, dentate gyrus, thalamus.</summary>
    public static IReadOnlyList<string> DefaultRegions { get; } = new[] { "V1", "CA1", "DG", "TH" };

    /// <summary>Number of subjects (animals), ids "sub-01", "sub-02", ... Default 4; 1 to 999.</summary>
    public int Subjects { get; init; } = 4;

    /// <summary>Sessions per subject, ids "sub-01_ses-01", ... Default 2; 1 to 999.</summary>
    public int SessionsPerSubject { get; init; } = 2;

    /// <summary>Units per session, ids "u000", "u001", ... Default 64; at least one per region, at most 100,000.</summary>
    public int UnitsPerSession { get; init; } = 64;

    /// <summary>Length of each session in seconds, starting at 0. Default 300; more than 0, at most 1,000,000.</summary>
    public double DurationSeconds { get; init; } = 300;

    /// <summary>Seed of every random choice; the same options and seed give bit-identical recordings. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Brain regions recorded in every session (units are split evenly among them). Default <see cref="DefaultRegions"/>.
    /// "V1", "CA1", "DG", "TH", "CA3", "PFC" have built-in latent signatures; any other name gets one derived from the name,
    /// so a region keeps its signature across subjects, sessions and seeds.
    /// </summary>
    public IReadOnlyList<string> Regions { get; init; } = DefaultRegions;

    /// <summary>Fraction of the units of each region tuned to position or velocity. Default 0.35; 0 to 1.</summary>
    public double TunedFraction { get; init; } = 0.35;

    /// <summary>Fraction of the tuned units that have a place field (the rest are velocity-tuned). Default 0.6; 0 to 1.</summary>
    public double PlaceTunedShare { get; init; } = 0.6;

    /// <summary>Side of the square arena in metres. Default 1; 0.2 to 100.</summary>
    public double ArenaSizeMeters { get; init; } = 1.0;

    /// <summary>Behaviour sampling rate in Hz (channels x, y, vx, vy). Default 50; 1 to 1000.</summary>
    public double BehaviorSampleRateHz { get; init; } = 50;

    /// <summary>Shortest trial in seconds. Default 2; more than 0.</summary>
    public double TrialMinSeconds { get; init; } = 2;

    /// <summary>Longest trial in seconds. Default 6; at least <see cref="TrialMinSeconds"/>.</summary>
    public double TrialMaxSeconds { get; init; } = 6;

    /// <summary>
    /// Threads used to generate the units of a session. Default 1; 0 or less means all processors. The output does not
    /// depend on it: each unit draws from its own generator seeded by (seed, subject, session, unit).
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = 1;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> (or <see cref="ArgumentException"/> for bad region names) naming the option at fault.</summary>
    public void Validate()
    {
        Range(Subjects, 1, 999, nameof(Subjects));
        Range(SessionsPerSubject, 1, 999, nameof(SessionsPerSubject));
        if (Regions is null || Regions.Count == 0)
            throw new ArgumentOutOfRangeException(nameof(Regions), "at least one region is needed");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var region in Regions)
        {
            if (string.IsNullOrWhiteSpace(region)) throw new ArgumentException("a region name is empty", nameof(Regions));
            if (!seen.Add(region)) throw new ArgumentException($"region '{region}' appears twice", nameof(Regions));
        }
        Range(UnitsPerSession, Regions.Count, 100_000, nameof(UnitsPerSession));
        Range(DurationSeconds, double.Epsilon, 1e6, nameof(DurationSeconds));
        Range(TunedFraction, 0, 1, nameof(TunedFraction));
        Range(PlaceTunedShare, 0, 1, nameof(PlaceTunedShare));
        Range(ArenaSizeMeters, 0.2, 100, nameof(ArenaSizeMeters));
        Range(BehaviorSampleRateHz, 1, 1000, nameof(BehaviorSampleRateHz));
        Range(TrialMinSeconds, double.Epsilon, 1e6, nameof(TrialMinSeconds));
        Range(TrialMaxSeconds, TrialMinSeconds, 1e6, nameof(TrialMaxSeconds));
    }

    private static void Range(double value, double min, double max, string name)
    {
        if (!(value >= min && value <= max))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}");
    }

    /// <summary>The options as name=value pairs, for provenance.</summary>
    internal IReadOnlyDictionary<string, string> Describe()
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [nameof(Subjects)] = Subjects.ToString(c),
            [nameof(SessionsPerSubject)] = SessionsPerSubject.ToString(c),
            [nameof(UnitsPerSession)] = UnitsPerSession.ToString(c),
            [nameof(DurationSeconds)] = DurationSeconds.ToString("R", c),
            [nameof(Seed)] = Seed.ToString(c),
            [nameof(Regions)] = string.Join(",", Regions),
            [nameof(TunedFraction)] = TunedFraction.ToString("R", c),
            [nameof(PlaceTunedShare)] = PlaceTunedShare.ToString("R", c),
            [nameof(ArenaSizeMeters)] = ArenaSizeMeters.ToString("R", c),
            [nameof(BehaviorSampleRateHz)] = BehaviorSampleRateHz.ToString("R", c),
            [nameof(TrialMinSeconds)] = TrialMinSeconds.ToString("R", c),
            [nameof(TrialMaxSeconds)] = TrialMaxSeconds.ToString("R", c),
        };
    }
}
