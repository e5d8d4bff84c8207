using MLNeuro.Loaders;

namespace MLNeuro.Transforms.Tests;

public sealed class PredictableNeuronTests
{
    // Counts 0,0,0,4: mean 1, deviations -1,-1,-1,3 -> m2 = 12/4 = 3, m3 = 24/4 = 6, m4 = 84/4 = 21.
    private static readonly double HandSkewness = 6 / Math.Pow(3, 1.5); // 1.1547
    private const double HandKurtosis = 21.0 / 9 - 3; // -0.6667

    [Fact]
    public void Moments_match_a_hand_computation()
    {
        var m = BinnedMoments.Of(new float[] { 0, 0, 0, 4 });
        Assert.Equal(1, m.Mean, 12);
        Assert.Equal(12, m.M2, 12);
        Assert.Equal(HandSkewness, m.Skewness, 12);
        Assert.Equal(HandKurtosis, m.ExcessKurtosis, 12);
    }

    [Fact]
    public void Merged_chunks_equal_one_pass_and_survive_a_large_offset()
    {
        var random = new Random(5);
        var values = new float[1000];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * random.NextDouble() * 10);
        var whole = BinnedMoments.Of(values);
        var merged = BinnedMoments.Of(values.AsSpan(0, 1));
        merged.Merge(BinnedMoments.Of(values.AsSpan(1, 300)));
        merged.Merge(BinnedMoments.Of(values.AsSpan(301, 699)));
        Assert.Equal(whole.Count, merged.Count);
        Assert.Equal(whole.Skewness, merged.Skewness, 10);
        Assert.Equal(whole.ExcessKurtosis, merged.ExcessKurtosis, 10);

        // A shift of 1e6 changes nothing in exact arithmetic; a raw-power-sum formula would lose every digit here.
        var shifted = values.Select(v => (float)(v + 1e6)).ToArray();
        var s = BinnedMoments.Of(shifted);
        double fromShifted = s.Skewness;
        var unshifted = BinnedMoments.Of(shifted.Select(v => (float)(v - 1e6)).ToArray()).Skewness; // same float rounding
        Assert.Equal(unshifted, fromShifted, 6);
    }

    [Fact]
    public void Constant_or_tiny_samples_have_undefined_moments()
    {
        Assert.True(double.IsNaN(BinnedMoments.Of(new float[] { 3, 3, 3 }).Skewness));
        Assert.True(double.IsNaN(BinnedMoments.Of(new float[] { 1 }).ExcessKurtosis));
    }

    [Fact]
    public void Selector_bins_spikes_and_reproduces_the_hand_moments()
    {
        // Four 20 ms bins; the unit fires 4 times in the last one.
        var rec = SyntheticTrains.Build("s", 0.08, ("u", new[] { 0.061, 0.062, 0.07, 0.079 }));
        var selection = new PredictableNeuronSelector(new PredictableNeuronOptions { MinSpikeCount = 0 }).Fit([rec]);
        var u = Assert.Single(selection.Units);
        Assert.Equal(4, u.SampleCount);
        Assert.Equal(4, u.SpikeCount);
        Assert.Equal(HandSkewness, u.Skewness, 9);
        Assert.Equal(HandKurtosis, u.Kurtosis, 9);
    }

    private static Recording Population()
    {
        var random = new Random(11);
        return SyntheticTrains.Build("s1", 200,
            ("poisson20", SyntheticTrains.Poisson(random, 20, 0, 200)),
            ("poisson5", SyntheticTrains.Poisson(random, 5, 0, 200)),
            ("bursty", SyntheticTrains.RareBursts(0, 200, 20, 30)),
            ("very_bursty", SyntheticTrains.RareBursts(0, 200, 5, 60)),
            ("silent", Array.Empty<double>()),
            ("three_spikes", new[] { 1.0, 50.0, 150.0 }));
    }

    [Fact]
    public void Thresholds_keep_poisson_units_and_reject_bursty_silent_and_sparse_ones()
    {
        var selection = new PredictableNeuronSelector().Fit([Population()]);
        var byId = selection.Units.ToDictionary(u => u.UnitId);
        // Poisson counts in 20 ms bins: skewness 1/sqrt(lambda), excess kurtosis 1/lambda, lambda = rate * 0.02.
        // Sample estimates over 10,000 bins: the kurtosis of a sparse count has a standard error of a few tenths.
        Assert.InRange(byId["poisson20"].Skewness, 1 / Math.Sqrt(0.4) - 0.15, 1 / Math.Sqrt(0.4) + 0.15);
        Assert.InRange(byId["poisson20"].Kurtosis, 2.5 - 0.6, 2.5 + 0.6);
        var (skew, kurt) = NaiveMoments(Population().Spikes.TimesOf(0), 0.02, 10000);
        Assert.Equal(skew, byId["poisson20"].Skewness, 9);
        Assert.Equal(kurt, byId["poisson20"].Kurtosis, 9);
        Assert.True(byId["poisson20"].IsPredictable);
        Assert.True(byId["poisson5"].IsPredictable);
        Assert.True(byId["bursty"].Skewness > 3.51 && byId["bursty"].Kurtosis > 22.62);
        Assert.False(byId["bursty"].IsPredictable);
        Assert.False(byId["very_bursty"].IsPredictable);
        Assert.False(byId["silent"].IsEligible);
        Assert.True(double.IsNaN(byId["silent"].Skewness));
        Assert.False(byId["three_spikes"].IsEligible); // below MinSpikeCount = 10
        Assert.Equal(2, selection.PredictableCount);
        Assert.Equal(4, selection.EligibleCount);
        Assert.Equal(4, selection.UnpredictableCount);
    }

    /// <summary>Textbook two-pass moments of the binned counts, for comparison with the chunked, merged selector.</summary>
    private static (double Skewness, double Kurtosis) NaiveMoments(double[] times, double bin, int bins)
    {
        var counts = new double[bins];
        foreach (var t in times) counts[(int)(t / bin)]++;
        double mean = counts.Average();
        double m2 = counts.Average(c => Math.Pow(c - mean, 2));
        double m3 = counts.Average(c => Math.Pow(c - mean, 3));
        double m4 = counts.Average(c => Math.Pow(c - mean, 4));
        return (m3 / Math.Pow(m2, 1.5), m4 / (m2 * m2) - 3);
    }

    [Fact]
    public void Quantile_mode_keeps_the_lowest_ranked_fraction_of_eligible_units()
    {
        var half = new PredictableNeuronSelector(new PredictableNeuronOptions { Mode = PredictableNeuronMode.Quantile, Quantile = 0.5 }).Fit([Population()]);
        Assert.Equal(new[] { "poisson20", "poisson5" }, half.Units.Where(u => u.IsPredictable).Select(u => u.UnitId));
        var quarter = new PredictableNeuronSelector(new PredictableNeuronOptions { Mode = PredictableNeuronMode.Quantile, Quantile = 0.25 }).Fit([Population()]);
        Assert.Equal(new[] { "poisson20" }, quarter.Units.Where(u => u.IsPredictable).Select(u => u.UnitId));
        var all = new PredictableNeuronSelector(new PredictableNeuronOptions { Mode = PredictableNeuronMode.Quantile, Quantile = 1 }).Fit([Population()]);
        Assert.Equal(4, all.PredictableCount); // every eligible unit; silent and sparse ones never
    }

    [Fact]
    public void Interval_kind_restricts_the_measured_time()
    {
        // Poisson throughout, plus huge bursts only after 100 s: measured on "train" = [0, 100) it is predictable.
        var random = new Random(3);
        var times = SyntheticTrains.Poisson(random, 20, 0, 200).Concat(SyntheticTrains.RareBursts(100, 200, 5, 80)).ToArray();
        var builder = new RecordingBuilder("s", "subject");
        builder.AddSpikes(builder.AddUnit(new UnitInfo("u")), times);
        builder.AddInterval(new Interval(0, 60, "train"));
        builder.AddInterval(new Interval(40, 100, "train")); // overlaps: counted once
        builder.SetDomain(0, 200);
        var rec = builder.Build();
        Assert.False(new PredictableNeuronSelector().Fit([rec]).IsPredictable("s", "u"));
        var train = new PredictableNeuronSelector(new PredictableNeuronOptions { IntervalKind = "train" }).Fit([rec]);
        Assert.True(train.IsPredictable("s", "u"));
        Assert.Equal(5000, train.Units[0].SampleCount); // 100 s / 20 ms
    }

    [Fact]
    public void Keep_drop_and_flag_reindex_consistently()
    {
        var rec = Population();
        var selection = new PredictableNeuronSelector().Fit([rec]);
        var kept = selection.Apply(rec, SelectionAction.Keep);
        var dropped = selection.Apply(rec, SelectionAction.Drop);
        Assert.Equal(new[] { "poisson20", "poisson5" }, kept.Units.Select(u => u.UnitId));
        Assert.Equal(new[] { "bursty", "very_bursty", "silent", "three_spikes" }, dropped.Units.Select(u => u.UnitId));
        Assert.Equal(rec.Spikes.Count, kept.Spikes.Count + dropped.Spikes.Count);
        foreach (var part in new[] { kept, dropped })
            for (int i = 0; i < part.Units.Count; i++)
                Assert.Equal(rec.Spikes.TimesOf(rec.Units.IndexOf(part.Units[i].UnitId)), part.Spikes.TimesOf(i));
        Assert.Equal(rec.StartSeconds, kept.StartSeconds);
        Assert.Equal(rec.EndSeconds, kept.EndSeconds);

        var flagged = selection.Apply(rec, SelectionAction.Flag);
        Assert.Same(rec.Spikes, flagged.Spikes);
        Assert.Equal(new[] { "true", "true", "false", "false", "false", "false" },
            flagged.Units.Select(u => u.GetMetadata(PredictableNeuronSelection.PredictableColumn)));
    }

    [Fact]
    public void Keep_reindexes_calcium_traces_and_units_of_other_sessions_count_as_unpredictable()
    {
        var random = new Random(2);
        int frames = 3000;
        var frameTimes = Enumerable.Range(0, frames).Select(i => i / 30.0).ToArray();
        var values = new float[2 * frames];
        for (int i = 0; i < frames; i++)
        {
            values[i] = (float)(random.NextDouble() + random.NextDouble() + random.NextDouble()); // near-Gaussian
            values[frames + i] = i % 500 == 0 ? 50f : 0.01f * (float)random.NextDouble();         // rare huge transients
        }
        var builder = new RecordingBuilder("ca", "subject");
        builder.AddUnit(new UnitInfo("smooth"));
        builder.AddUnit(new UnitInfo("spiky"));
        builder.SetTraces(new CalciumTraces(frameTimes, 2, values));
        builder.SetDomain(0, 100);
        var rec = builder.Build();
        var selection = new PredictableNeuronSelector().Fit([rec]); // Auto -> traces, MinSpikeCount ignored
        Assert.True(selection.IsPredictable("ca", "smooth"));
        Assert.False(selection.IsPredictable("ca", "spiky"));
        var kept = selection.Apply(rec, SelectionAction.Keep);
        Assert.Equal(values.AsSpan(0, frames).ToArray(), kept.Traces!.Unit(0).ToArray());

        var other = SyntheticTrains.Build("other", 1, ("smooth", new[] { 0.5 }));
        Assert.Empty(selection.Apply(other, SelectionAction.Keep).Units);
    }

    [Fact]
    public void Bad_options_name_the_option()
    {
        Assert.Equal("Quantile", Assert.Throws<ArgumentOutOfRangeException>(() => new PredictableNeuronSelector(new PredictableNeuronOptions { Quantile = 1.5 })).ParamName);
        Assert.Equal("BinSeconds", Assert.Throws<ArgumentOutOfRangeException>(() => new PredictableNeuronSelector(new PredictableNeuronOptions { BinSeconds = 0 })).ParamName);
        Assert.Equal("MinSpikeCount", Assert.Throws<ArgumentOutOfRangeException>(() => new PredictableNeuronSelector(new PredictableNeuronOptions { MinSpikeCount = -1 })).ParamName);
        var noTraces = SyntheticTrains.Build("s", 1, ("u", new[] { 0.5 }));
        Assert.Throws<ArgumentException>(() => new PredictableNeuronSelector(new PredictableNeuronOptions { Source = ActivitySource.CalciumTraces }).Fit([noTraces]));
    }
}
