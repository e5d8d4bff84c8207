using MLNeuro.Loaders.Synthetic;

namespace MLNeuro.Loaders.Tests;

public sealed class IntervalCoverageTests
{
    // Two units firing every 10 ms inside the given runs of [0, 6) s; trials at [0, 1), [2, 3) and [4, 5), the first
    // listed twice with an overlap so that merging is exercised.
    private static Recording Recording(params (double Start, double End)[] firing)
    {
        var times = new List<double>();
        var units = new List<int>();
        foreach (var (start, end) in firing)
            for (double t = start; t < end - 1e-9; t += 0.01)
            {
                times.Add(t);
                units.Add(times.Count % 2);
            }
        var table = new UnitTable([new UnitInfo("a"), new UnitInfo("b")]);
        var trials = new IntervalSet([new Interval(0, 1, "trial"), new Interval(0.5, 1, "trial"), new Interval(2, 3, "trial"),
            new Interval(4, 5, "trial"), new Interval(0, 6, "session")]);
        return new Recording("s", "m", table, SpikeTrain.FromSorted(times.ToArray(), units.ToArray(), 2), 0, 6, intervals: trials);
    }

    [Fact]
    public void Spikes_only_inside_trials_are_flagged_and_overlapping_intervals_count_once()
    {
        var coverage = IntervalCoverage.Of(Recording((0, 1), (2, 3), (4, 5)), "trial");
        Assert.Equal(coverage.Spikes, coverage.SpikesInside);
        Assert.Equal(3.0, coverage.SecondsInside, 9);
        Assert.Equal(0.5, coverage.TimeFraction, 9);
        Assert.True(coverage.LooksIntervalOnly);
        Assert.Equal("100.0% of spikes in 50.0% of the time inside 'trial' intervals", coverage.ToString());
    }

    [Fact]
    public void A_continuous_recording_or_intervals_covering_everything_are_not_flagged()
    {
        var continuous = IntervalCoverage.Of(Recording((0, 6)), "trial");
        Assert.Equal(0.5, continuous.SpikeFraction, 2);
        Assert.False(continuous.LooksIntervalOnly);
        var whole = IntervalCoverage.Of(Recording((0, 6)), "session");
        Assert.Equal(1.0, whole.TimeFraction, 9);
        Assert.False(whole.LooksIntervalOnly);   // nothing is outside, so nothing says the gaps are empty
        var missing = IntervalCoverage.Of(Recording((0, 6)), "reach");
        Assert.Equal(0, missing.SpikesInside);
        Assert.Equal(0, missing.SecondsInside);
        Assert.False(missing.LooksIntervalOnly);
    }

    [Fact]
    public void A_synthetic_dataset_fires_between_trials_and_a_missing_kind_gives_null()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("synth");
        SyntheticDataset.Write(new SyntheticOptions { Subjects = 1, SessionsPerSubject = 2, UnitsPerSession = 8, DurationSeconds = 60, Seed = 3 }, path);
        var dataset = NeuralDataset.Open(path);
        var coverage = IntervalCoverage.OfDataset(dataset, "trial");
        Assert.NotNull(coverage);
        Assert.Equal(dataset.SpikeCount, coverage.Spikes);   // both sessions read (fewer than the default 3)
        Assert.InRange(coverage.SpikeFraction, 0.05, 0.95);
        Assert.False(coverage.LooksIntervalOnly);
        Assert.Null(IntervalCoverage.OfDataset(dataset, "no-such-kind"));
    }
}
