using System.Globalization;

namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// Generates one session: subject profile, trials, latent grid and trajectory, unit design, spikes of every unit (in
/// parallel when allowed; each unit has its own generator, so the result does not depend on scheduling), merge, and the
/// <see cref="Recording"/> with labels and metadata.
/// </summary>
internal static class SessionSynthesizer
{
    /// <summary>Label of the one epoch spanning each session.</summary>
    public const string EpochLabel = "open_field";

    /// <summary>"sub-01" for subject index 0.</summary>
    public static string SubjectId(int subject) => $"sub-{subject + 1:D2}";

    /// <summary>"sub-01_ses-01" for subject 0, session 0.</summary>
    public static string SessionId(int subject, int session) => $"{SubjectId(subject)}_ses-{session + 1:D2}";

    /// <summary>Generates the session; options must already be validated.</summary>
    public static Recording Generate(SyntheticOptions options, int subject, int session, CancellationToken ct)
    {
        double duration = options.DurationSeconds;
        var profile = SubjectProfile.Draw(options.Seed, subject, options.Regions.Count);
        var trialRng = SeedSequence.Generator(options.Seed, SeedSequence.TrialStream, subject, session);
        var trials = TrialSchedule.Draw(options, ref trialRng);
        var grid = SessionGrid.Build(options, subject, session, profile, trials);
        var units = UnitDesigner.Design(options, subject, session, profile, grid);
        ct.ThrowIfCancellationRequested();

        var states = SampleSpikes(options, subject, session, units, grid, ct);
        var times = states.Select(s => s.Spikes).ToArray();
        var counts = states.Select(s => s.Count).ToArray();
        var (spikeTimes, spikeUnits) = SpikeMerger.Merge(times, counts, duration);

        var table = new UnitTable(units.Select((unit, u) => Describe(options, unit, u, counts[u] / duration)));
        var intervals = trials.Trials.Append(new Interval(0, duration, SyntheticLabels.EpochKind, EpochLabel));
        return new Recording(SessionId(subject, session), SubjectId(subject), table,
            SpikeTrain.Wrap(spikeTimes, spikeUnits, units.Length), 0, duration,
            grid.Trajectory.Sample(options.BehaviorSampleRateHz, duration), new IntervalSet(intervals));
    }

    /// <summary>Units sampled per group: a group's units pass over one grid tile after another while it is in cache.</summary>
    private const int UnitsPerGroup = 8;

    /// <summary>
    /// Samples every unit's spikes, tile by tile of the grid. Groups of units run in parallel when allowed; each unit has its
    /// own generator and state, so the result does not depend on grouping or scheduling.
    /// </summary>
    internal static SamplerState[] SampleSpikes(SyntheticOptions options, int subject, int session, UnitModel[] units, SessionGrid grid,
        CancellationToken ct)
    {
        double duration = options.DurationSeconds;
        var states = new SamplerState[units.Length];
        for (int u = 0; u < units.Length; u++)
        {
            var rng = SeedSequence.Generator(options.Seed, SeedSequence.SpikeStream, subject, session, u);
            states[u] = new SamplerState(units[u], rng, (int)Math.Min(Array.MaxLength, units[u].ModelRateHz * duration * 1.3 + 16));
        }
        var parallel = new ParallelOptions
        {
            CancellationToken = ct,
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : Environment.ProcessorCount,
        };
        int groups = (units.Length + UnitsPerGroup - 1) / UnitsPerGroup, tiles = UnitRateGrid.Tiles(grid);
        Parallel.For(0, groups, parallel, () => new UnitRateGrid(), (g, loop, rates) =>
        {
            int from = g * UnitsPerGroup, to = Math.Min(units.Length, from + UnitsPerGroup);
            for (int tile = 0; tile < tiles; tile++)
            {
                for (int u = from; u < to; u++)
                {
                    if (states[u].Done) continue;
                    rates.Compute(units[u], grid, tile);
                    SpikeSampler.Advance(states[u], rates, duration);
                }
            }
            return rates;
        }, _ => { });
        return states;
    }

    private static UnitInfo Describe(SyntheticOptions options, UnitModel unit, int index, double meanRate)
    {
        var c = CultureInfo.InvariantCulture;
        var metadata = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [SyntheticLabels.TuningColumn] = unit.Tuning,
            [SyntheticLabels.ModelRateColumn] = unit.ModelRateHz.ToString("0.####", c),
            [SyntheticLabels.MeanRateColumn] = meanRate.ToString("0.####", c),
            [SyntheticLabels.RefractoryColumn] = (unit.RefractorySeconds * 1000).ToString("0.####", c),
            [SyntheticLabels.PlaceXColumn] = unit.HasPlaceField ? unit.PlaceX.ToString("0.####", c) : null,
            [SyntheticLabels.PlaceYColumn] = unit.HasPlaceField ? unit.PlaceY.ToString("0.####", c) : null,
            [SyntheticLabels.PreferredDirectionColumn] = unit.HasVelocityTuning ? unit.PreferredDirectionDegrees.ToString("0.##", c) : null,
        };
        string id = options.UnitsPerSession <= 1000 ? $"u{index:D3}" : $"u{index:D6}";
        return new UnitInfo(id, options.Regions[unit.Region], CellTypeProfile.All[unit.CellType].Name, metadata);
    }
}
