namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// Consecutive trials from time 0, each lasting a uniform draw in [TrialMinSeconds, TrialMaxSeconds], labelled "run"
/// (70%) or "rest" (30%); a last trial that would not fit whole is left out. The condition sets the animal's speed and
/// the shared arousal level, so it is decodable from behaviour and, more weakly, from spikes.
/// </summary>
internal sealed class TrialSchedule
{
    /// <summary>Probability that a trial is a "run" trial.</summary>
    public const double RunShare = 0.7;

    private TrialSchedule(Interval[] trials) => Trials = trials;

    /// <summary>The trials, in time order.</summary>
    public Interval[] Trials { get; }

    /// <summary>Draws the trials of one session.</summary>
    public static TrialSchedule Draw(SyntheticOptions options, ref Xoshiro256StarStar rng)
    {
        var trials = new List<Interval>();
        double t = 0;
        while (true)
        {
            double length = rng.Uniform(options.TrialMinSeconds, options.TrialMaxSeconds);
            string condition = rng.NextDouble() < RunShare ? SyntheticLabels.RunCondition : SyntheticLabels.RestCondition;
            if (t + length > options.DurationSeconds) break;
            trials.Add(new Interval(t, t + length, SyntheticLabels.TrialKind, condition));
            t += length;
        }
        return new TrialSchedule(trials.ToArray());
    }

    /// <summary>
    /// Whether the animal is at rest at each grid step (time = step * stepSeconds); time outside any trial counts as running.
    /// </summary>
    public bool[] RestMask(int steps, double stepSeconds)
    {
        var rest = new bool[steps];
        foreach (var trial in Trials)
        {
            if (trial.Label != SyntheticLabels.RestCondition) continue;
            int first = (int)Math.Ceiling(trial.Start / stepSeconds);
            int last = Math.Min(steps, (int)Math.Ceiling(trial.End / stepSeconds));
            for (int i = first; i < last; i++) rest[i] = true;
        }
        return rest;
    }
}
