using System.Text.Json;
using Microsoft.ML;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Synthetic;

namespace MLNeuro.Transforms.Tests;

/// <summary>Features restricted to intervals (<see cref="NeuronFeatureOptions.IntervalKind"/>, <see cref="NeuronFeatures.ComputeInIntervals"/>).</summary>
public sealed class NeuronFeatureIntervalTests
{
    private static readonly NeuronFeatureOptions Options = new() { MaxDegreeOfParallelism = 1 };
    private static readonly List<string> Names = NeuronFeatures.Names(Options).ToList();

    private static float Get(float[] features, string name)
    {
        int i = Names.IndexOf(name);
        Assert.True(i >= 0, $"no feature named {name}");
        return features[i];
    }

    private static float[] Block(float[] features, string prefix) =>
        Names.Select((n, i) => (n, i)).Where(p => p.n.StartsWith(prefix, StringComparison.Ordinal)).Select(p => features[p.i]).ToArray();

    private static float[] InIntervals(double[] times, double[] starts, double[] ends, NeuronFeatureOptions? options = null)
    {
        var result = new float[Names.Count];
        NeuronFeatures.ComputeInIntervals(times, starts, ends, options ?? Options, result);
        return result;
    }

    /// <summary>A copy of a recording with other intervals.</summary>
    private static Recording WithIntervals(Recording r, params Interval[] intervals) =>
        new(r.SessionId, r.SubjectId, r.Units, r.Spikes, r.StartSeconds, r.EndSeconds, intervals: new IntervalSet(intervals));

    private static readonly Lazy<Recording> Synthetic = new(() => SyntheticDataset.GenerateSession(
        new SyntheticOptions { Subjects = 1, SessionsPerSubject = 1, UnitsPerSession = 48, DurationSeconds = 300, Seed = 5 }, 0, 0));

    // Two intervals with a gap: A = [0, 0.5), B = [0.75, 1.75). Times are binary fractions, so every lag is exact.
    private static readonly double[] Starts = { 0, 0.75 }, Ends = { 0.5, 1.75 };
    private static readonly double[] Inside = { 0.125, 0.3125, 0.375, 0.875, 1.1875 };
    // In the gap (a 15.6 ms pair), on B's exclusive end, and after B: none of them may count.
    private static readonly double[] WithOutside = { 0.125, 0.3125, 0.375, 0.6, 0.6015625, 0.875, 1.1875, 1.75, 1.9 };

    [Fact]
    public void Two_intervals_give_the_hand_computed_rate_isis_acg_pairs_and_moments()
    {
        var f = InIntervals(Inside, Starts, Ends);
        double rate = 5 / 1.5; // 5 spikes in 0.5 + 1 s
        Assert.Equal(rate, Get(f, "rate_hz"), 5);
        Assert.Equal(Math.Log10(rate), Get(f, "log10_rate_hz"), 5);
        Assert.Equal(1, Get(f, "few_spikes"));

        // ISIs within A: 0.1875, 0.0625; within B: 0.3125. Not 0.5 (A's last to B's first).
        double[] isis = { 0.1875, 0.0625, 0.3125 };
        double mean = isis.Average(), sd = Math.Sqrt(isis.Select(x => x * x).Average() - mean * mean);
        Assert.Equal(sd / mean, Get(f, "isi_cv"), 5);
        Assert.Equal(2 * 0.125 / 0.25, Get(f, "isi_cv2"), 5); // the one pair of consecutive ISIs inside one interval
        Assert.Equal(3 * 0.25, Get(f, "lv"), 5);            // 3 * ((0.1875 - 0.0625) / 0.25)^2
        Assert.Equal(0, Get(f, "burst_index"));
        var histogram = Block(f, "isi_logbin_");
        Assert.Equal(1, histogram.Sum(), 5);
        // Log edges 10^(0.2k) ms: 62.5 ms in bin 8, 187.5 ms in bin 11, 312.5 ms in bin 12; nothing in the long-ISI bins.
        Assert.Equal(new[] { 8, 11, 12 }, histogram.Select((v, k) => (v, k)).Where(p => p.v > 0).Select(p => p.k));
        Assert.All(new[] { 8, 11, 12 }, k => Assert.Equal(1 / 3.0, histogram[k], 5));

        // ACG pairs within A: lags 62.5, 187.5, 250 ms; within B: 312.5 ms. The five cross pairs (500-937.5 ms, all
        // lags intervals of B's length can hold) are not pairs. Wide bins are 20 ms.
        var wide = Block(f, "acg_wide_");
        Assert.Equal(new[] { 3, 9, 12, 15 }, wide.Select((v, k) => (v, k)).Where(p => p.v > 0).Select(p => p.k));
        foreach (int k in new[] { 3, 9, 12, 15 })
        {
            // One pair over rate² × Σ over intervals of ∫ (L − τ) dτ across the bin.
            double a = 0.02 * k, b = a + 0.02, exposure = 0;
            foreach (var length in new[] { 0.5, 1.0 }) exposure += (b - a) * (length - (a + b) / 2);
            Assert.Equal(1 / (rate * rate * exposure), wide[k], 4);
        }
        Assert.All(Block(f, "acg_narrow_"), v => Assert.Equal(0f, v)); // no lag below 50 ms inside an interval
        Assert.Equal(0, Get(f, "refractory_ms")); // no pair below 50 ms at all

        // 20 ms bins tile A (25 bins) and B (50 bins) from their own starts: five bins hold 1 spike, seventy hold 0.
        var counts = Enumerable.Repeat(0.0, 70).Concat(Enumerable.Repeat(1.0, 5)).ToArray();
        var (skewness, kurtosis) = Moments(counts);
        Assert.Equal(skewness, Get(f, "skewness_20ms"), 4);
        Assert.Equal(kurtosis, Get(f, "kurtosis_20ms"), 3);
        // 100 ms bins: A [0,1,0,2,0], B [0,1,0,0,1,0,0,0,0,0] -> mean 1/3, variance 7/15 - 1/9.
        Assert.Equal((7 / 15.0 - 1 / 9.0) / (1 / 3.0), Get(f, "fano_100ms"), 5);
        Assert.Equal(0, Get(f, "fano_1000ms")); // A holds no whole 1 s bin, B one: fewer than 2 bins
    }

    private static (double Skewness, double Kurtosis) Moments(double[] counts)
    {
        double mean = counts.Average();
        double m2 = counts.Average(c => Math.Pow(c - mean, 2)), m3 = counts.Average(c => Math.Pow(c - mean, 3)), m4 = counts.Average(c => Math.Pow(c - mean, 4));
        return (m3 / Math.Pow(m2, 1.5), m4 / (m2 * m2) - 3);
    }

    [Fact]
    public void Spikes_outside_the_intervals_change_nothing()
    {
        Assert.Equal(InIntervals(Inside, Starts, Ends), InIntervals(WithOutside, Starts, Ends));
        // Also in the batch: a recording whose extra spikes all fall between the trials.
        var builder = new RecordingBuilder("s", "m");
        builder.AddSpikes(builder.AddUnit(new UnitInfo("a")), WithOutside);
        builder.AddSpikes(builder.AddUnit(new UnitInfo("b")), Inside);
        builder.SetDomain(0, 2);
        var recording = WithIntervals(builder.Build(), new Interval(0, 0.5, "trial"), new Interval(0.75, 1.75, "trial"), new Interval(0, 2, "epoch"));
        var table = NeuronFeatures.ComputeAll(recording, new NeuronFeatureOptions { IntervalKind = "trial" });
        Assert.Equal(table.AsSpan(0, Names.Count).ToArray(), table.AsSpan(Names.Count, Names.Count).ToArray());
        Assert.Equal(InIntervals(Inside, Starts, Ends), table.AsSpan(0, Names.Count).ToArray());
    }

    [Fact]
    public void Intervals_covering_the_whole_domain_give_the_whole_domain_features()
    {
        var recording = Synthetic.Value;
        double start = recording.StartSeconds, end = recording.EndSeconds, third = (end - start) / 3;
        recording = WithIntervals(recording,
            new Interval(start, end, "all"),
            // Overlapping and touching pieces that merge into the same single piece, given out of order.
            new Interval(start + third, end, "pieces"), new Interval(start, start + third, "pieces"), new Interval(start + 10, start + 20, "pieces"));
        var whole = NeuronFeatures.ComputeAll(recording, Options);
        var all = NeuronFeatures.ComputeAll(recording, new NeuronFeatureOptions { IntervalKind = "all", MaxDegreeOfParallelism = 1 });
        var pieces = NeuronFeatures.ComputeAll(recording, new NeuronFeatureOptions { IntervalKind = "pieces", MaxDegreeOfParallelism = 1 });
        Assert.Equal(all, pieces);
        for (int i = 0; i < whole.Length; i++)
        {
            string name = Names[i % Names.Count];
            if (name.StartsWith("acg_", StringComparison.Ordinal))
            {
                // The interval ACG divides by the pairs a Poisson train can form, ∝ (T − lag) instead of T: at most
                // 1 s / 300 s = 0.33% apart.
                Assert.True(Math.Abs(all[i] - whole[i]) <= 0.004 * Math.Abs(whole[i]) + 1e-6, $"{name} of unit {i / Names.Count}: {all[i]} vs {whole[i]}");
            }
            else if (name == "burst_acg_index")
            {
                // A contrast of two such densities (reference lags 0.2-0.3 s): a 0.1% ratio change moves it by < 0.001.
                Assert.True(Math.Abs(all[i] - whole[i]) <= 0.001, $"{name} of unit {i / Names.Count}: {all[i]} vs {whole[i]}");
            }
            else
            {
                Assert.True(all[i] == whole[i], $"{name} of unit {i / Names.Count}: {all[i]} vs {whole[i]}");
            }
        }
    }

    [Fact]
    public void Poisson_spikes_in_short_trials_read_about_1_at_every_lag_a_trial_can_hold_and_0_beyond()
    {
        // 2000 trials of 0.4 s, 1.6 s apart, 20 Hz Poisson inside; nothing is recorded between trials.
        var random = new Random(3);
        var times = new List<double>();
        var starts = new double[2000];
        var ends = new double[2000];
        for (int k = 0; k < starts.Length; k++)
        {
            starts[k] = 2.0 * k;
            ends[k] = starts[k] + 0.4;
            times.AddRange(SyntheticTrains.Poisson(random, 20, starts[k], ends[k]));
        }
        var f = InIntervals(times.ToArray(), starts, ends);
        Assert.InRange(Get(f, "rate_hz"), 19.5, 20.5);
        var wide = Block(f, "acg_wide_");
        Assert.InRange(wide.Take(15).Average(), 0.97, 1.03);
        Assert.InRange(wide.Skip(15).Take(5).Average(), 0.9, 1.1); // 300-400 ms: edge-corrected (uncorrected would be ~0.2)
        Assert.All(wide.Skip(20), v => Assert.Equal(0f, v));       // no 0.4 s trial holds a lag of 400 ms or more
        Assert.InRange(Block(f, "acg_narrow_").Average(), 0.95, 1.05);
        Assert.InRange(Get(f, "burst_acg_index"), -0.1, 0.1);
        Assert.InRange(Get(f, "fano_100ms"), 0.95, 1.05);
        Assert.Equal(0, Get(f, "fano_1000ms")); // bins longer than the trials: the fill value
        Assert.InRange(Get(f, "lv"), 0.9, 1.1);
        Assert.Equal(0, Block(f, "isi_logbin_").Skip(14).Sum()); // ISIs of 0.4 s or more are not observable
    }

    [Fact]
    public void Partial_bins_at_an_interval_end_are_dropped_with_their_spikes()
    {
        // [0, 0.07) holds three whole 20 ms bins; the spike at 65 ms sits in the partial fourth and is not a count.
        var f = InIntervals(new[] { 0.01, 0.065 }, new[] { 0.0 }, new[] { 0.07 });
        Assert.Equal(1 / Math.Sqrt(2), Get(f, "skewness_20ms"), 5); // counts [1, 0, 0]
        Assert.Equal(2 / 0.07, Get(f, "rate_hz"), 4);             // the rate still counts it
        // A 0.4 s trial late in a session is 0.4 s up to rounding of the large times; it still holds 20 whole bins.
        foreach (var t0 in new[] { 3000.2, 1234.56, 71.2077 })
            Assert.Equal(20, BinnedCountMoments.IntervalBins(t0 + 0.4 - t0, 0.02));
    }

    [Fact]
    public void Batch_matches_single_unit_compute_on_synthetic_trials_and_does_not_depend_on_the_thread_count()
    {
        var recording = Synthetic.Value;
        var trials = recording.Intervals.OfKind("trial");
        Assert.True(trials.Count > 10);
        // Keep every other trial, so the pieces have gaps between them.
        var kept = trials.Where((_, k) => k % 2 == 0).ToArray();
        recording = WithIntervals(recording, kept);
        var one = NeuronFeatures.ComputeAll(recording, new NeuronFeatureOptions { IntervalKind = "trial", MaxDegreeOfParallelism = 1 });
        var two = NeuronFeatures.ComputeAll(recording, new NeuronFeatureOptions { IntervalKind = "trial", MaxDegreeOfParallelism = 2 });
        Assert.Equal(one, two);
        Assert.All(one, v => Assert.True(float.IsFinite(v)));
        var whole = NeuronFeatures.ComputeAll(recording, Options);
        Assert.NotEqual(whole, one);
        var row = new float[Names.Count];
        foreach (int u in new[] { 0, 5, recording.Units.Count - 1 })
        {
            NeuronFeatures.ComputeInIntervals(recording.Spikes.TimesOf(u), kept.Select(i => i.Start).ToArray(), kept.Select(i => i.End).ToArray(), Options, row);
            Assert.Equal(row, one.AsSpan(u * Names.Count, Names.Count).ToArray());
            // The rate divides the spikes inside by the kept time.
            int inside = recording.Spikes.TimesOf(u).ToArray().Count(t => kept.Any(i => t >= i.Start && t < i.End));
            Assert.Equal(inside / kept.Sum(i => i.DurationSeconds), row[0], 3);
        }
    }

    [Fact]
    public void A_session_without_the_kind_is_an_error_naming_the_session_and_the_kind()
    {
        var recording = WithIntervals(Synthetic.Value, new Interval(0, 10, "trial"), new Interval(20, 20, "empty"));
        var e = Assert.Throws<ArgumentException>(() => NeuronFeatures.ComputeAll(recording, new NeuronFeatureOptions { IntervalKind = "trail" }));
        Assert.Contains($"'{recording.SessionId}'", e.Message);
        Assert.Contains("'trail'", e.Message);
        Assert.Contains("empty, trial", e.Message); // the kinds it does have
        e = Assert.Throws<ArgumentException>(() => NeuronFeatures.ComputeAll(recording, new NeuronFeatureOptions { IntervalKind = "empty" }));
        Assert.Contains($"'{recording.SessionId}'", e.Message);
        Assert.Contains("zero total length", e.Message);
        var blank = Assert.Throws<ArgumentOutOfRangeException>(() => NeuronFeatures.Names(new NeuronFeatureOptions { IntervalKind = " " }));
        Assert.Equal("IntervalKind", blank.ParamName);
    }

    [Fact]
    public void Malformed_intervals_name_the_argument()
    {
        var target = new float[Names.Count];
        Assert.Equal("intervalEnds", Assert.Throws<ArgumentException>(() =>
            NeuronFeatures.ComputeInIntervals(new[] { 0.1 }, new[] { 0.0, 1 }, new[] { 1.0 }, Options, target)).ParamName);
        Assert.Equal("intervalEnds", Assert.Throws<ArgumentException>(() =>
            NeuronFeatures.ComputeInIntervals(new[] { 0.1 }, new[] { 1.0 }, new[] { 0.5 }, Options, target)).ParamName);
        Assert.Equal("intervalStarts", Assert.Throws<ArgumentException>(() =>
            NeuronFeatures.ComputeInIntervals(new[] { 0.1 }, new[] { double.NaN }, new[] { 0.5 }, Options, target)).ParamName);
        Assert.Equal("intervalEnds", Assert.Throws<ArgumentException>(() =>
            NeuronFeatures.ComputeInIntervals(new[] { 0.1 }, new[] { 1.0, 2.0 }, new[] { 1.0, 2.0 }, Options, target)).ParamName);
        Assert.Equal("spikeTimes", Assert.Throws<ArgumentException>(() =>
            NeuronFeatures.ComputeInIntervals(new[] { 0.2, 0.1 }, new[] { 0.0 }, new[] { 1.0 }, Options, target)).ParamName);
        // A unit without spikes inside gets the fills.
        var f = InIntervals(new[] { 5.0 }, new[] { 0.0 }, new[] { 1.0 });
        Assert.All(f, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(0, Get(f, "rate_hz"));
        Assert.Equal(-3, Get(f, "log10_rate_hz"), 5);
    }

    [Fact]
    public void Estimator_refuses_an_interval_kind_and_default_options_persist_as_before()
    {
        var e = Assert.Throws<ArgumentException>(() => new MLContext().Transforms.ExtractNeuronFeatures("features", options: new NeuronFeatureOptions { IntervalKind = "trial" }));
        Assert.Equal("IntervalKind", e.ParamName);
        Assert.Contains("NeuronFeatureTable", e.Message);
        // A null kind is not written, so the JSON of default options (what saved models carry) is unchanged...
        Assert.DoesNotContain("IntervalKind", JsonSerializer.Serialize(new NeuronFeatureOptions()));
        // ...and a set kind round-trips through the persisted form.
        var json = JsonSerializer.Serialize(new NeuronFeatureOptions { IntervalKind = "trial", FewSpikesThreshold = 7 });
        var back = PersistedOptions.Read<NeuronFeatureOptions>(json);
        Assert.Equal("trial", back.IntervalKind);
        Assert.Equal(7, back.FewSpikesThreshold);
        Assert.Null(PersistedOptions.Read<NeuronFeatureOptions>(JsonSerializer.Serialize(new NeuronFeatureOptions())).IntervalKind);
    }

    [Fact]
    public void Feature_table_checks_every_session_before_computing_and_names_the_kind_in_its_source()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("synth");
        SyntheticDataset.Write(new SyntheticOptions { Subjects = 2, SessionsPerSubject = 1, UnitsPerSession = 8, DurationSeconds = 30, Seed = 2 }, path);
        var dataset = NeuralDataset.Open(path);
        var table = NeuronFeatureTable.FromDataset(dataset, new NeuronFeatureOptions { IntervalKind = "trial" });
        Assert.Equal(16, table.RowCount);
        Assert.Contains("within intervals of kind 'trial'", table.Source);
        var e = Assert.Throws<ArgumentException>(() => NeuronFeatureTable.FromDataset(dataset, new NeuronFeatureOptions { IntervalKind = "stimulus" }));
        Assert.Contains("'stimulus'", e.Message);
        Assert.Contains($"'{dataset.Sessions[0].SessionId}'", e.Message);
    }
}
