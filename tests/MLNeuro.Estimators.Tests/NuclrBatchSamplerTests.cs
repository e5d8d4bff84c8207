using MLNeuro.Loaders;
using MLNeuro.Transforms;
using static TorchSharp.torch;

namespace MLNeuro.Estimators.Tests;

public sealed class NuclrBatchSamplerTests
{
    // Tiny geometry (a 1 s window of 2 patches x 5 bins of 0.1 s) so the tests stay cheap on a shared machine.
    private static readonly NuclrSamplingOptions Small = new()
    {
        WindowSeconds = 1, PatchCount = 2, BinSeconds = 0.1, MaxOffsetSeconds = 3, BatchSize = 6, Views = 3,
    };

    // Steinmetz-like: 0.4 s trials every 2 s, 20 ms bins -> 20 bins per patch, 3 trials per view.
    private static readonly NuclrSamplingOptions Trials = new()
    {
        IntervalKind = "trial", PatchCount = 3, BinSeconds = 0.02, MaxOffsetIntervals = 2, BatchSize = 4,
    };

    public NuclrBatchSamplerTests() => TorchRuntime.EnsureAvailable();

    [Fact]
    public void Domain_batch_has_the_documented_shapes_counts_masks_and_bounds()
    {
        var recordings = new[] { Synthetic("a", units: 5, seconds: 40, seed: 1), Synthetic("b", units: 8, seconds: 20, seed: 2) };
        var sampler = new NuclrBatchSampler(recordings, Small);
        using var batch = sampler.Next(new Random(3));

        var rows = batch.SessionIndex.data<long>().ToArray();
        int maxUnits = rows.Max(r => recordings[r].Units.Count);
        Assert.Equal(new long[] { 6, 3, maxUnits, 2, 5 }, batch.Counts.shape);
        Assert.Equal(ScalarType.Float32, batch.Counts.dtype);
        Assert.Equal(new long[] { 6, 3, maxUnits }, batch.UnitMask.shape);
        Assert.Equal(new long[] { 6, maxUnits }, batch.SharedUnitMask.shape);
        Assert.Equal(new long[] { 6, 3 }, batch.WindowStarts.shape);
        Assert.All(batch.FirstIntervals.data<long>().ToArray(), f => Assert.Equal(-1, f));

        var counts = batch.Counts.data<float>().ToArray();
        var mask = batch.UnitMask.data<bool>().ToArray();
        var shared = batch.SharedUnitMask.data<bool>().ToArray();
        var starts = batch.WindowStarts.data<double>().ToArray();
        int unitStride = 2 * 5;
        for (int b = 0; b < 6; b++)
        {
            var recording = recordings[rows[b]];
            int units = recording.Units.Count;
            Assert.Equal(recording.SessionId, batch.SessionIds[b]);
            var rowStarts = starts.AsSpan(b * 3, 3).ToArray();
            Assert.True(rowStarts.Max() - rowStarts.Min() <= Small.MaxOffsetSeconds + 1e-12, "views farther apart than MaxOffsetSeconds");
            for (int v = 0; v < 3; v++)
            {
                double start = rowStarts[v];
                Assert.InRange(start, recording.StartSeconds, recording.EndSeconds - Small.WindowSeconds);
                var expected = new float[units * unitStride];
                SpikeBinning.CountInto(recording.Spikes, start, 0.1, unitStride, expected);
                int slot = b * 3 + v, kept = 0;
                for (int u = 0; u < maxUnits; u++)
                {
                    bool present = mask[slot * maxUnits + u];
                    var actual = counts.AsSpan((slot * maxUnits + u) * unitStride, unitStride).ToArray();
                    if (u >= units) Assert.False(present, "a padding slot is unmasked");
                    if (present)
                    {
                        kept++;
                        Assert.Equal(expected.AsSpan(u * unitStride, unitStride).ToArray(), actual);
                    }
                    else Assert.All(actual, c => Assert.Equal(0f, c));
                }
                Assert.InRange(kept, (int)Math.Round(0.5 * units, MidpointRounding.AwayFromZero), units);
            }
            for (int u = 0; u < maxUnits; u++)
                Assert.Equal(Enumerable.Range(0, 3).All(v => mask[(b * 3 + v) * maxUnits + u]), shared[b * maxUnits + u]);
        }
        // The counts are real data, not all zeros.
        Assert.True(counts.Sum() > 0);
    }

    [Fact]
    public void Max_units_packs_one_shared_subset_per_sample_and_changes_nothing_when_not_binding()
    {
        // Unit u fires regularly at 10 (u + 1) Hz, so every 0.1 s bin of unit u holds u + 1 spikes: a packed row names its unit.
        var recordings = new[] { Regular("a", units: 12, seconds: 30), Regular("b", units: 9, seconds: 30) };
        var capped = Small with { MaxUnitsPerSample = 4, MinKeepFraction = 1 };
        using var batch = new NuclrBatchSampler(recordings, capped).Next(new Random(7));
        Assert.Equal(new long[] { 6, 3, 4, 2, 5 }, batch.Counts.shape);
        Assert.True(batch.UnitMask.all().item<bool>(), "with no dropout every packed unit is present");

        var counts = batch.Counts.data<float>().ToArray();
        int unitStride = 2 * 5;
        var subsets = new HashSet<string>();
        for (int b = 0; b < 6; b++)
        {
            int[]? first = null;
            for (int v = 0; v < 3; v++)
            {
                var units = Enumerable.Range(0, 4).Select(i =>
                {
                    var row = counts.AsSpan(((b * 3 + v) * 4 + i) * unitStride, unitStride).ToArray();
                    Assert.All(row, c => Assert.Equal(row[0], c));
                    return (int)row[0] - 1;
                }).ToArray();
                Assert.Equal(units.Order(), units);          // ascending unit order
                Assert.Equal(4, units.Distinct().Count());
                first ??= units;
                Assert.Equal(first, units);                  // the same subset in every view of the sample
            }
            subsets.Add(string.Join(",", first!));
        }
        Assert.True(subsets.Count > 1, "every sample drew the same subset");

        // A cap at or above every recording's unit count draws nothing extra: identical batches.
        using var loose = new NuclrBatchSampler(recordings, Small with { MaxUnitsPerSample = 12 }).Next(new Random(7));
        using var plain = new NuclrBatchSampler(recordings, Small).Next(new Random(7));
        Assert.True(Same(loose.Counts, plain.Counts));
        Assert.True(Same(loose.UnitMask, plain.UnitMask));
    }

    [Fact]
    public void Keep_fraction_bounds_are_honoured()
    {
        var recording = Synthetic("a", units: 20, seconds: 10, seed: 4);
        var options = Small with { MinKeepFraction = 0.7, MaxKeepFraction = 0.8, BatchSize = 8 };
        using var batch = new NuclrBatchSampler(new[] { recording }, options).Next(new Random(5));
        var kept = batch.UnitMask.sum(2).data<long>().ToArray();
        Assert.All(kept, k => Assert.InRange(k, 14, 16));
    }

    [Fact]
    public void Same_seed_gives_identical_batches()
    {
        var recordings = new[] { Synthetic("a", units: 5, seconds: 30, seed: 1), Synthetic("b", units: 7, seconds: 30, seed: 2) };
        var sampler = new NuclrBatchSampler(recordings, Small);
        using var first = sampler.Next(new Random(11));
        using var second = sampler.Next(new Random(11));
        using var other = sampler.Next(new Random(12));
        Assert.True(Same(first.Counts, second.Counts));
        Assert.True(Same(first.UnitMask, second.UnitMask));
        Assert.True(Same(first.WindowStarts, second.WindowStarts));
        Assert.True(Same(first.SessionIndex, second.SessionIndex));
        Assert.False(Same(first.WindowStarts, other.WindowStarts));

        // The sampler's own generator is seeded by the options.
        using var own1 = new NuclrBatchSampler(recordings, Small with { Seed = 9 }).Next();
        using var own2 = new NuclrBatchSampler(recordings, Small with { Seed = 9 }).Next();
        Assert.True(Same(own1.Counts, own2.Counts));
    }

    [Fact]
    public void Interval_mode_takes_every_patch_from_one_trial()
    {
        var recordings = new[] { TrialRecording("s1", units: 4, trials: 12, seed: 1), TrialRecording("s2", units: 6, trials: 9, seed: 2) };
        var sampler = new NuclrBatchSampler(recordings, Trials);
        Assert.Equal(20, sampler.BinsPerPatch);
        using var batch = sampler.Next(new Random(7));

        var rows = batch.SessionIndex.data<long>().ToArray();
        int maxUnits = rows.Max(r => recordings[r].Units.Count);
        Assert.Equal(new long[] { 4, 2, maxUnits, 3, 20 }, batch.Counts.shape);
        var counts = batch.Counts.data<float>().ToArray();
        var mask = batch.UnitMask.data<bool>().ToArray();
        var firsts = batch.FirstIntervals.data<long>().ToArray();
        var starts = batch.WindowStarts.data<double>().ToArray();
        for (int b = 0; b < 4; b++)
        {
            var recording = recordings[rows[b]];
            var trials = recording.Intervals.OfKind("trial");
            Assert.True(Math.Abs(firsts[b * 2] - firsts[b * 2 + 1]) <= Trials.MaxOffsetIntervals);
            for (int v = 0; v < 2; v++)
            {
                int slot = b * 2 + v, first = (int)firsts[slot];
                Assert.InRange(first, 0, trials.Count - 3);
                Assert.Equal(trials[first].Start, starts[slot]);
                for (int p = 0; p < 3; p++)
                {
                    // Expected: the spikes of trial first + p only, binned from the trial's start.
                    var expected = new float[recording.Units.Count * 20];
                    SpikeBinning.CountInto(recording.Spikes, trials[first + p].Start, 0.02, 20, expected);
                    for (int u = 0; u < maxUnits; u++)
                    {
                        var actual = counts.AsSpan(((slot * maxUnits + u) * 3 + p) * 20, 20).ToArray();
                        if (mask[slot * maxUnits + u]) Assert.Equal(expected.AsSpan(u * 20, 20).ToArray(), actual);
                        else Assert.All(actual, c => Assert.Equal(0f, c));
                    }
                }
            }
        }
        // Every spike in a trial sits at trial start + 0.01 + 0.02 k, so the trial patches hold spikes; the spikes
        // between trials (at 1.5 s past each trial's start) can be in none of them.
        Assert.True(counts.Sum() > 0);
    }

    [Fact]
    public void Interval_mode_rejects_unequal_trials_naming_the_session()
    {
        var b = new RecordingBuilder("uneven", "m");
        int u = b.AddUnit(new UnitInfo("n0"));
        b.AddSpike(u, 0.1);
        for (int k = 0; k < 4; k++) b.AddInterval(new Interval(2.0 * k, 2.0 * k + (k == 2 ? 0.5 : 0.4), "trial"));
        b.SetDomain(0, 10);
        var ex = Assert.Throws<ArgumentException>(() => new NuclrBatchSampler(new[] { b.Build() }, Trials));
        Assert.Contains("uneven", ex.Message);
    }

    [Fact]
    public void Evaluation_windows_tile_the_domain_without_overlap()
    {
        var recording = Synthetic("a", units: 3, seconds: 4.5, seed: 6);
        var sampler = new NuclrBatchSampler(new[] { recording }, Small);
        var starts = sampler.EvaluationWindowStarts(recording).Select(s => s.Start).ToArray();
        Assert.Equal(new[] { 0.0, 1.0, 2.0, 3.0 }, starts);

        int windows = 0;
        foreach (var (session, tensor) in sampler.EvaluationWindows(recording))
        {
            using (tensor)
            {
                Assert.Equal("a", session);
                Assert.Equal(new long[] { 1, 3, 2, 5 }, tensor.shape);
                var expected = new float[3 * 10];
                SpikeBinning.CountInto(recording.Spikes, starts[windows], 0.1, 10, expected);
                Assert.Equal(expected, tensor.data<float>().ToArray());
            }
            windows++;
        }
        Assert.Equal(4, windows);
    }

    [Fact]
    public void Evaluation_windows_in_interval_mode_are_consecutive_trial_groups()
    {
        var recording = TrialRecording("s", units: 2, trials: 10, seed: 3);
        var sampler = new NuclrBatchSampler(new[] { recording }, Trials);
        Assert.Equal(new[] { 0, 3, 6 }, sampler.EvaluationWindowStarts(recording).Select(s => s.First).ToArray());
        var windows = sampler.EvaluationWindows(recording).ToList();
        try
        {
            Assert.Equal(3, windows.Count);
            Assert.All(windows, w => Assert.Equal(new long[] { 1, 2, 3, 20 }, w.Counts.shape));
        }
        finally
        {
            foreach (var w in windows) w.Counts.Dispose();
        }
    }

    public static TheoryData<NuclrSamplingOptions, string> BadOptions => new()
    {
        { new NuclrSamplingOptions { WindowSeconds = 0 }, nameof(NuclrSamplingOptions.WindowSeconds) },
        { new NuclrSamplingOptions { PatchCount = 0 }, nameof(NuclrSamplingOptions.PatchCount) },
        { new NuclrSamplingOptions { BinSeconds = double.NaN }, nameof(NuclrSamplingOptions.BinSeconds) },
        { new NuclrSamplingOptions { BinSeconds = 0.03 }, nameof(NuclrSamplingOptions.BinSeconds) },
        { new NuclrSamplingOptions { Views = 1 }, nameof(NuclrSamplingOptions.Views) },
        { new NuclrSamplingOptions { MaxOffsetSeconds = -1 }, nameof(NuclrSamplingOptions.MaxOffsetSeconds) },
        { new NuclrSamplingOptions { MaxOffsetIntervals = -1 }, nameof(NuclrSamplingOptions.MaxOffsetIntervals) },
        { new NuclrSamplingOptions { MinKeepFraction = 1.5 }, nameof(NuclrSamplingOptions.MinKeepFraction) },
        { new NuclrSamplingOptions { MinKeepFraction = 0.8, MaxKeepFraction = 0.6 }, nameof(NuclrSamplingOptions.MaxKeepFraction) },
        { new NuclrSamplingOptions { IntervalKind = " " }, nameof(NuclrSamplingOptions.IntervalKind) },
        { new NuclrSamplingOptions { BatchSize = 0 }, nameof(NuclrSamplingOptions.BatchSize) },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_options_name_the_option(NuclrSamplingOptions options, string name)
    {
        var recording = Synthetic("a", units: 2, seconds: 20, seed: 1);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new NuclrBatchSampler(new[] { recording }, options));
        Assert.Equal(name, ex.ParamName);
    }

    [Fact]
    public void A_recording_shorter_than_the_window_is_named()
    {
        var recording = Synthetic("short", units: 2, seconds: 0.5, seed: 1);
        var ex = Assert.Throws<ArgumentException>(() => new NuclrBatchSampler(new[] { recording }, Small));
        Assert.Contains("short", ex.Message);
    }

    private static bool Same(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape)) return false;
        using var eq = a.eq(b);
        using var all = eq.all();
        return all.item<bool>();
    }

    /// Units firing at random times (about 20 Hz each) over [0, seconds).
    /// <summary>Unit u spikes at 10 (u + 1) Hz on a regular grid offset by half a period (no spike on a bin edge).</summary>
    private static Recording Regular(string session, int units, double seconds)
    {
        var b = new RecordingBuilder(session, "mouse");
        for (int u = 0; u < units; u++)
        {
            int unit = b.AddUnit(new UnitInfo($"n{u}"));
            double period = 0.1 / (u + 1);
            for (double t = period / 2; t < seconds; t += period) b.AddSpike(unit, t);
        }
        b.SetDomain(0, seconds);
        return b.Build();
    }

    private static Recording Synthetic(string session, int units, double seconds, int seed)
    {
        var random = new Random(seed);
        var b = new RecordingBuilder(session, "mouse");
        for (int u = 0; u < units; u++)
        {
            int unit = b.AddUnit(new UnitInfo($"n{u}"));
            int n = (int)(20 * seconds);
            for (int i = 0; i < n; i++) b.AddSpike(unit, random.NextDouble() * seconds);
        }
        b.SetDomain(0, seconds);
        return b.Build();
    }

    /// 0.4 s trials every 2 s starting at 0.3 s; each unit fires at a few bin centres inside every trial, and once
    /// between trials, where no patch may pick it up.
    private static Recording TrialRecording(string session, int units, int trials, int seed)
    {
        var random = new Random(seed);
        var b = new RecordingBuilder(session, "mouse");
        for (int u = 0; u < units; u++) b.AddUnit(new UnitInfo($"n{u}"));
        for (int k = 0; k < trials; k++)
        {
            double start = 0.3 + 2.0 * k;
            b.AddInterval(new Interval(start, start + 0.4, "trial"));
            for (int u = 0; u < units; u++)
            {
                for (int s = 0; s < 4; s++) b.AddSpike(u, start + 0.01 + 0.02 * random.Next(20));
                b.AddSpike(u, start + 1.5);
            }
        }
        b.SetDomain(0, 2.0 * trials + 1);
        return b.Build();
    }
}
