using MLNeuro.Loaders;
using MLNeuro.Loaders.Synthetic;

namespace MLNeuro.Transforms.Tests;

public sealed class NeuronFeatureTests
{
    private static readonly NeuronFeatureOptions Options = new() { MaxDegreeOfParallelism = 1 };
    private static readonly IReadOnlyList<string> Names = NeuronFeatures.Names(Options);

    private static float[] Features(double[] times, double duration, NeuronFeatureOptions? options = null)
    {
        var result = new float[NeuronFeatures.Names(options ?? Options).Count];
        NeuronFeatures.Compute(times, duration, options ?? Options, result);
        return result;
    }

    private static float Get(float[] features, string name) => features[IndexOf(name)];

    private static int IndexOf(string name)
    {
        int i = Names.ToList().IndexOf(name);
        Assert.True(i >= 0, $"no feature named {name}");
        return i;
    }

    private static float[] Block(float[] features, string prefix) => Names.Select((n, i) => (n, i)).Where(p => p.n.StartsWith(prefix, StringComparison.Ordinal)).Select(p => features[p.i]).ToArray();

    /// <summary>Renewal process: each ISI is deadTime + Exp(1 / meanExtra), seeded.</summary>
    private static double[] Renewal(double duration, double meanExtraSeconds, double deadTime, int seed)
    {
        var random = new Random(seed);
        var times = new List<double>();
        double t = -meanExtraSeconds * Math.Log(1 - random.NextDouble());
        while (t < duration)
        {
            times.Add(t);
            t += deadTime - meanExtraSeconds * Math.Log(1 - random.NextDouble());
        }
        return times.ToArray();
    }

    [Fact]
    public void Names_are_fixed_unique_and_as_long_as_the_vector()
    {
        Assert.Equal(153, Names.Count);
        Assert.Equal(Names.Count, Names.Distinct().Count());
        Assert.Equal(new[] { "rate_hz", "log10_rate_hz", "few_spikes", "isi_cv", "isi_cv2", "lv", "burst_index", "burst_acg_index",
            "refractory_ms", "skewness_20ms", "kurtosis_20ms", "fano_100ms", "fano_1000ms", "isi_logbin_00" }, Names.Take(14));
        Assert.Contains("acg_narrow_+012ms", Names);
        Assert.Contains("acg_wide_+0980ms", Names);
        Assert.Equal("acg_log_19", Names[^1]);
        Assert.Equal(20, Names.Count(n => n.StartsWith("isi_logbin_", StringComparison.Ordinal)));
        Assert.Equal(50, Names.Count(n => n.StartsWith("acg_narrow_", StringComparison.Ordinal)));
        Assert.Equal(50, Names.Count(n => n.StartsWith("acg_wide_", StringComparison.Ordinal)));
        Assert.Equal(20, Names.Count(n => n.StartsWith("acg_log_", StringComparison.Ordinal)));
        var custom = new NeuronFeatureOptions { FanoWindowSeconds = new[] { 0.05 }, IsiHistogramBins = 10 };
        Assert.Equal(153 - 1 - 10, NeuronFeatures.Names(custom).Count);
        Assert.Contains("fano_50ms", NeuronFeatures.Names(custom));
    }

    [Fact]
    public void Regular_10_Hz_train_has_rate_10_no_variability_and_an_acg_peak_at_100_ms()
    {
        var times = Enumerable.Range(0, 1000).Select(k => 0.05 + k * 0.1).ToArray();
        var f = Features(times, 100);
        Assert.Equal(10, Get(f, "rate_hz"), 4);
        Assert.Equal(1, Get(f, "log10_rate_hz"), 4);
        Assert.Equal(0, Get(f, "few_spikes"));
        Assert.Equal(0, Get(f, "isi_cv"), 4);
        Assert.Equal(0, Get(f, "isi_cv2"), 4);
        Assert.Equal(0, Get(f, "lv"), 4);
        Assert.Equal(0, Get(f, "burst_index"));
        Assert.Equal(0, Get(f, "fano_100ms"), 4); // exactly one spike in every 100 ms window
        Assert.All(Block(f, "acg_narrow_"), v => Assert.Equal(0f, v));
        var wide = Block(f, "acg_wide_");
        int first = Array.FindIndex(wide, v => v > 0);
        Assert.InRange(first, 4, 5); // lag 0.1 s sits on the 80-100 / 100-120 ms edge; rounding picks either side
        Assert.Equal(0, wide.Take(4).Sum());
        // The whole first-neighbour mass is there: 999 pairs / (n * rate * 20 ms) = 999 / 200.
        Assert.Equal(999 / 200.0, wide[4] + wide[5], 3);
        var isi = Block(f, "isi_logbin_");
        Assert.Equal(1, isi.Sum(), 5);
        // 100 ms is a log edge (1 ms x 10^(0.2 k), k = 10): all mass sits in the two bins beside it.
        Assert.Equal(1, isi[9] + isi[10], 5);
    }

    [Fact]
    public void Poisson_train_has_cv_lv_fano_near_1_flat_acgs_and_poisson_moments()
    {
        var times = Renewal(duration: 1000, meanExtraSeconds: 0.05, deadTime: 0, seed: 1);
        var f = Features(times, 1000);
        Assert.Equal(20, Get(f, "rate_hz"), 0);
        Assert.InRange(Get(f, "isi_cv"), 0.95, 1.05);
        Assert.InRange(Get(f, "lv"), 0.95, 1.05);
        Assert.InRange(Get(f, "isi_cv2"), 0.95, 1.05);
        Assert.InRange(Get(f, "fano_100ms"), 0.9, 1.1);
        Assert.InRange(Get(f, "fano_1000ms"), 0.85, 1.15);
        Assert.InRange(Block(f, "acg_wide_").Average(), 0.97, 1.03);
        Assert.InRange(Block(f, "acg_narrow_").Average(), 0.95, 1.05);
        Assert.InRange(Block(f, "acg_log_").Skip(5).Average(), 0.9, 1.1);
        Assert.InRange(Get(f, "burst_acg_index"), -0.1, 0.1);
        Assert.Equal(0, Get(f, "refractory_ms"));
        Assert.InRange(Get(f, "burst_index"), 1 - Math.Exp(-0.2) - 0.02, 1 - Math.Exp(-0.2) + 0.02);
        // Counts in 20 ms bins are Poisson(0.4): skewness 1/sqrt(0.4), excess kurtosis 1/0.4.
        Assert.InRange(Get(f, "skewness_20ms"), 1 / Math.Sqrt(0.4) - 0.1, 1 / Math.Sqrt(0.4) + 0.1);
        Assert.InRange(Get(f, "kurtosis_20ms"), 2.5 - 0.3, 2.5 + 0.3);
        var (skewness, kurtosis) = ActivityMoments.Compute(times, 0, 1000, 0.02);
        Assert.Equal(Get(f, "skewness_20ms"), skewness, 4);
        Assert.Equal(Get(f, "kurtosis_20ms"), kurtosis, 4);
    }

    [Fact]
    public void Dead_time_of_3_ms_gives_a_refractory_estimate_near_3_ms()
    {
        var times = Renewal(duration: 1000, meanExtraSeconds: 0.1, deadTime: 0.003, seed: 2);
        var f = Features(times, 1000);
        Assert.InRange(Get(f, "refractory_ms"), 2.99, 3.51);
        Assert.Equal(0, Block(f, "acg_narrow_").Take(3).Sum());
        Assert.True(Get(f, "burst_acg_index") < 0); // emptier at short lags than at 200-300 ms
    }

    [Fact]
    public void Bursty_train_has_a_high_burst_index_and_a_poisson_train_does_not()
    {
        // Burst events at ~1 Hz (plus 50 ms dead time), each 4 spikes 5 ms apart.
        var events = Renewal(duration: 600, meanExtraSeconds: 1, deadTime: 0.05, seed: 3);
        var times = events.SelectMany(e => Enumerable.Range(0, 4).Select(k => e + k * 0.005)).Where(t => t < 600).ToArray();
        var bursty = Features(times, 600);
        var poisson = Features(Renewal(600, 0.25, 0, seed: 4), 600);
        Assert.InRange(Get(bursty, "burst_index"), 0.7, 0.76); // 3 of every 4 ISIs
        Assert.True(Get(bursty, "burst_acg_index") > 0.9);
        Assert.True(Get(poisson, "burst_index") < 0.1);
        Assert.True(Get(bursty, "kurtosis_20ms") > Get(poisson, "kurtosis_20ms"));
        var narrow = Block(bursty, "acg_narrow_");
        Assert.InRange(Array.IndexOf(narrow, narrow.Max()), 4, 5); // the 5 ms intra-burst lag sits on a bin edge
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Units_with_zero_one_or_two_spikes_get_finite_fill_values(int spikes)
    {
        var times = Enumerable.Range(0, spikes).Select(k => 1.0 + k * 0.5).ToArray();
        var f = Features(times, 10);
        Assert.All(f, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(1, Get(f, "few_spikes"));
        Assert.Equal(spikes / 10.0, Get(f, "rate_hz"), 5);
        Assert.Equal(spikes == 0 ? -3 : Math.Log10(spikes / 10.0), Get(f, "log10_rate_hz"), 4);
        Assert.Equal(0, Get(f, "isi_cv"));
        Assert.Equal(0, Get(f, "lv"));
        Assert.Equal(0, Get(f, "isi_cv2"));
        Assert.Equal(0, Get(f, "refractory_ms"));
        Assert.Equal(0, Get(f, "burst_acg_index"));
        if (spikes < 2) Assert.All(Block(f, "acg_"), v => Assert.Equal(0f, v));
        Assert.Equal(spikes == 2 ? 1 : 0, Block(f, "isi_logbin_").Sum(), 5);
    }

    [Fact]
    public void Empty_window_gives_all_fills_and_nothing_non_finite()
    {
        var f = Features(Array.Empty<double>(), 0);
        Assert.All(f, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(0, Get(f, "rate_hz"));
        Assert.Equal(1, Get(f, "few_spikes"));
        Assert.Equal((0.0, 0.0), ActivityMoments.Compute(ReadOnlySpan<double>.Empty, 5, 5, 0.02));
        Assert.Equal((0.0, 0.0), ActivityMoments.Compute(new[] { 1.0, 2.0 }, 0, 10, 20)); // window shorter than a bin
        // Same spike count in every bin: no spread, so both moments take the fill value.
        Assert.Equal((0.0, 0.0), ActivityMoments.Compute(new[] { 0.5, 1.5, 2.5 }, 0, 3, 1));
        // Duplicate timestamps (zero ISIs) stay finite.
        Assert.All(Features(new[] { 1.0, 1.0, 1.0, 2.0 }, 3), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Bad_input_is_a_clear_error_naming_the_argument_or_option()
    {
        var target = new float[Names.Count];
        Assert.Equal("spikeTimes", Assert.Throws<ArgumentException>(() => NeuronFeatures.Compute(new[] { 0.2, 0.1 }, 1, Options, target)).ParamName);
        Assert.Equal("spikeTimes", Assert.Throws<ArgumentException>(() => NeuronFeatures.Compute(new[] { 0.1, double.NaN }, 1, Options, target)).ParamName);
        Assert.Equal("spikeTimes", Assert.Throws<ArgumentException>(() => NeuronFeatures.Compute(new[] { 0.1, 1.5 }, 1, Options, target)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => NeuronFeatures.Compute(new[] { 0.1 }, 1, Options, new float[3])).ParamName);
        Assert.Equal("endSeconds", Assert.Throws<ArgumentOutOfRangeException>(() => NeuronFeatures.Compute(new[] { 0.1 }, -1, Options, target)).ParamName);
        Assert.Equal("spikeTimes", Assert.Throws<ArgumentException>(() => ActivityMoments.Compute(new[] { 2.0, 1.0 }, 0, 3, 0.02)).ParamName);
        Assert.Equal("binSeconds", Assert.Throws<ArgumentOutOfRangeException>(() => ActivityMoments.Compute(new[] { 1.0 }, 0, 3, 0)).ParamName);
        Assert.Equal("NarrowAcgBinSeconds", Assert.Throws<ArgumentOutOfRangeException>(() => NeuronFeatures.Names(new NeuronFeatureOptions { NarrowAcgBinSeconds = 0 })).ParamName);
        Assert.Equal("WideAcgMaxLagSeconds", Assert.Throws<ArgumentOutOfRangeException>(() => NeuronFeatures.Names(new NeuronFeatureOptions { WideAcgMaxLagSeconds = 1.01 })).ParamName);
        Assert.Equal("FanoWindowSeconds", Assert.Throws<ArgumentOutOfRangeException>(() => NeuronFeatures.Names(new NeuronFeatureOptions { FanoWindowSeconds = Array.Empty<double>() })).ParamName);
        Assert.Equal("BurstReferenceEndSeconds", Assert.Throws<ArgumentOutOfRangeException>(() => NeuronFeatures.Names(new NeuronFeatureOptions { BurstReferenceEndSeconds = 0.1 })).ParamName);
    }

    private static readonly Lazy<Recording> Synthetic = new(() => SyntheticDataset.GenerateSession(
        new SyntheticOptions { Subjects = 1, SessionsPerSubject = 1, UnitsPerSession = 96, DurationSeconds = 300, Seed = 11 }, 0, 0));

    [Fact]
    public void Batch_rows_match_single_unit_compute_and_do_not_depend_on_the_thread_count()
    {
        var recording = Synthetic.Value;
        var one = NeuronFeatures.ComputeAll(recording, new NeuronFeatureOptions { MaxDegreeOfParallelism = 1 });
        var two = NeuronFeatures.ComputeAll(recording, new NeuronFeatureOptions { MaxDegreeOfParallelism = 2 });
        var all = NeuronFeatures.ComputeAll(recording, new NeuronFeatureOptions { MaxDegreeOfParallelism = 0 });
        Assert.Equal(recording.Units.Count * Names.Count, one.Length);
        Assert.Equal(one, two);
        Assert.Equal(one, all);
        Assert.All(one, v => Assert.True(float.IsFinite(v)));
        var row = new float[Names.Count];
        foreach (int u in new[] { 0, 7, recording.Units.Count - 1 })
        {
            NeuronFeatures.Compute(recording.Spikes.TimesOf(u), recording.StartSeconds, recording.EndSeconds, Options, row);
            Assert.Equal(row, one.AsSpan(u * Names.Count, Names.Count).ToArray());
        }
    }

    [Fact]
    public void Synthetic_cell_types_differ_in_the_expected_direction()
    {
        var recording = Synthetic.Value;
        var table = NeuronFeatures.ComputeAll(recording, Options);
        double Median(string type, string feature)
        {
            int column = IndexOf(feature);
            var values = Enumerable.Range(0, recording.Units.Count).Where(u => recording.Units[u].CellType == type)
                .Select(u => (double)table[u * Names.Count + column]).Order().ToArray();
            Assert.True(values.Length >= 3, $"only {values.Length} {type} units");
            return values[values.Length / 2];
        }
        string rs = SyntheticLabels.RegularSpiking, fs = SyntheticLabels.FastSpiking, b = SyntheticLabels.Bursting, lri = SyntheticLabels.LowRateIrregular;
        Assert.True(Median(fs, "log10_rate_hz") > Median(rs, "log10_rate_hz"));
        Assert.True(Median(rs, "log10_rate_hz") > Median(lri, "log10_rate_hz"));
        foreach (var other in new[] { rs, fs, lri })
        {
            Assert.True(Median(b, "burst_index") > Median(other, "burst_index") + 0.2, $"bursting vs {other}");
            Assert.True(Median(b, "burst_acg_index") > Median(other, "burst_acg_index"), $"bursting vs {other}");
        }
        Assert.True(Median(fs, "isi_cv") < Median(lri, "isi_cv"));
        Assert.True(Median(fs, "lv") < Median(lri, "lv"));
    }
}
