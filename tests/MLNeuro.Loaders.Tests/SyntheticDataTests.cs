using System.Globalization;
using MLNeuro.Loaders.Synthetic;

namespace MLNeuro.Loaders.Tests;

public sealed class SyntheticDataTests
{
    private static readonly SyntheticOptions Small = new() { Subjects = 2, SessionsPerSubject = 1, UnitsPerSession = 48, DurationSeconds = 60, Seed = 3 };

    // Generated once: every statistics test reads the same two sessions.
    private static readonly Lazy<Recording[]> Sessions = new(() => SyntheticDataset.Generate(Small).ToArray());

    private static double Meta(UnitInfo unit, string column) => double.Parse(unit.GetMetadata(column)!, CultureInfo.InvariantCulture);

    [Fact]
    public void Same_seed_gives_identical_recordings_and_another_seed_does_not()
    {
        var options = new SyntheticOptions { Subjects = 1, SessionsPerSubject = 1, UnitsPerSession = 16, DurationSeconds = 20, Seed = 11 };
        var a = SyntheticDataset.GenerateSession(options, 0, 0);
        var b = SyntheticDataset.GenerateSession(options, 0, 0);
        var parallel = SyntheticDataset.GenerateSession(new SyntheticOptions
        {
            Subjects = 1, SessionsPerSubject = 1, UnitsPerSession = 16, DurationSeconds = 20, Seed = 11, MaxDegreeOfParallelism = 2,
        }, 0, 0);
        var other = SyntheticDataset.GenerateSession(new SyntheticOptions { Subjects = 1, SessionsPerSubject = 1, UnitsPerSession = 16, DurationSeconds = 20, Seed = 12 }, 0, 0);
        foreach (var r in new[] { b, parallel })
        {
            Assert.True(a.Spikes.Timestamps.SequenceEqual(r.Spikes.Timestamps));
            Assert.True(a.Spikes.UnitIndices.SequenceEqual(r.Spikes.UnitIndices));
            Assert.True(a.Behavior!.Channel("x").SequenceEqual(r.Behavior!.Channel("x")));
            Assert.Equal(a.Units, r.Units, (u, v) => u.UnitId == v.UnitId && u.BrainRegion == v.BrainRegion && u.CellType == v.CellType
                && u.Metadata!.OrderBy(kv => kv.Key).SequenceEqual(v.Metadata!.OrderBy(kv => kv.Key)));
            Assert.Equal(a.Intervals.ToArray(), r.Intervals.ToArray());
        }
        Assert.False(a.Spikes.Timestamps.SequenceEqual(other.Spikes.Timestamps));
    }

    [Fact]
    public void A_session_is_the_same_alone_and_inside_the_whole_dataset()
    {
        var alone = SyntheticDataset.GenerateSession(Small, 1, 0);
        var inDataset = Sessions.Value[1];
        Assert.Equal("sub-02_ses-01", alone.SessionId);
        Assert.Equal("sub-02", alone.SubjectId);
        Assert.True(alone.Spikes.Timestamps.SequenceEqual(inDataset.Spikes.Timestamps));
    }

    [Fact]
    public async Task Spikes_do_not_depend_on_garbage_collections_during_sampling()
    {
        // The sampler walks a unit's rate buffers (UnitRateGrid) through references. Here every tile gets freshly allocated,
        // hence movable, buffers while another thread keeps compacting the young heap, so collections land inside
        // SpikeSampler.Advance. The spikes must equal those sampled without the collections, bit for bit. (References that
        // pointed before the arrays, which the GC does not relocate, read freed memory after such a collection: spikes went
        // missing or the sampler never finished, as in a full test run on a loaded machine.)
        var options = new SyntheticOptions { Subjects = 1, SessionsPerSubject = 1, UnitsPerSession = 16, DurationSeconds = 40, Seed = 3 };
        var profile = SubjectProfile.Draw(options.Seed, 0, options.Regions.Count);
        var trialRng = SeedSequence.Generator(options.Seed, SeedSequence.TrialStream, 0, 0);
        var grid = SessionGrid.Build(options, 0, 0, profile, TrialSchedule.Draw(options, ref trialRng));
        var units = UnitDesigner.Design(options, 0, 0, profile, grid);
        var expected = SessionSynthesizer.SampleSpikes(options, 0, 0, units, grid, CancellationToken.None);
        Assert.True(UnitRateGrid.Tiles(grid) >= 4);

        bool stop = false;
        long collections = 0;
        var collector = new Thread(() =>
        {
            // Garbage that refills the memory freed by each collection with non-zero values, then a collection.
            var keep = new float[64][];
            for (long k = 0; !Volatile.Read(ref stop); k++)
            {
                var junk = new float[1024];
                junk.AsSpan().Fill(250f);
                keep[k % keep.Length] = junk;
                if (k % 4 == 0)
                {
                    GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                    collections++;
                }
            }
        }) { IsBackground = true };
        collector.Start();
        var sampling = Task.Run(() =>
        {
            var mismatches = new List<string>();
            for (int round = 0; round < 24 && mismatches.Count == 0; round++)
            {
                for (int u = 0; u < units.Length; u++)
                {
                    var state = new SamplerState(units[u], SeedSequence.Generator(options.Seed, SeedSequence.SpikeStream, 0, 0, u), 16);
                    for (int tile = 0; tile < UnitRateGrid.Tiles(grid) && !state.Done; tile++)
                    {
                        var rates = new UnitRateGrid();
                        rates.Compute(units[u], grid, tile);
                        SpikeSampler.Advance(state, rates, options.DurationSeconds);
                    }
                    if (!state.Spikes.AsSpan(0, state.Count).SequenceEqual(expected[u].Spikes.AsSpan(0, expected[u].Count)))
                        mismatches.Add($"round {round} unit {u}: {state.Count} spikes instead of {expected[u].Count}");
                }
            }
            return mismatches;
        });
        bool finished = await Task.WhenAny(sampling, Task.Delay(TimeSpan.FromSeconds(60))) == sampling;
        Volatile.Write(ref stop, true);
        collector.Join();
        Assert.True(finished, "sampling under garbage collections did not finish within 60 s");
        Assert.True(collections > 0);
        Assert.Empty(await sampling);
    }

    [Fact]
    public void Structure_labels_and_invariants_hold()
    {
        foreach (var r in Sessions.Value)
        {
            Assert.Equal(0, r.StartSeconds);
            Assert.Equal(Small.DurationSeconds, r.EndSeconds);
            Assert.Equal(48, r.Units.Count);
            Assert.Equal("u000", r.Units[0].UnitId);
            var t = r.Spikes.Timestamps;
            for (int i = 1; i < t.Length; i++) Assert.True(t[i] >= t[i - 1]);
            Assert.True(t[0] >= 0 && t[^1] < r.EndSeconds);
            // Every region holds a quarter of the units, every cell type and some tuned units.
            foreach (var region in SyntheticOptions.DefaultRegions)
            {
                var units = r.Units.Where(u => u.BrainRegion == region).ToArray();
                Assert.Equal(12, units.Length);
                Assert.Equal(4, units.Select(u => u.CellType).Distinct().Count());
                Assert.Equal(4, units.Count(u => u.GetMetadata(SyntheticLabels.TuningColumn) != SyntheticLabels.NoTuning));
            }
            Assert.All(r.Units, u => Assert.Contains(u.CellType, SyntheticLabels.CellTypes));
            // Trials: consecutive, within the documented lengths, labelled by condition; one epoch spans the session.
            var trials = r.Intervals.OfKind(SyntheticLabels.TrialKind);
            Assert.True(trials.Count >= 60.0 / 6 - 1);
            for (int k = 0; k < trials.Count; k++)
            {
                Assert.InRange(trials[k].DurationSeconds, Small.TrialMinSeconds, Small.TrialMaxSeconds);
                Assert.Contains(trials[k].Label, new[] { SyntheticLabels.RunCondition, SyntheticLabels.RestCondition });
                Assert.Equal(k == 0 ? 0 : trials[k - 1].End, trials[k].Start);
                Assert.True(trials[k].End <= r.EndSeconds);
            }
            var epoch = Assert.Single(r.Intervals.OfKind(SyntheticLabels.EpochKind));
            Assert.Equal((0.0, Small.DurationSeconds), (epoch.Start, epoch.End));
        }
    }

    [Fact]
    public void Cell_types_have_the_documented_spike_statistics()
    {
        var rate = new Dictionary<string, List<double>>();
        var cv = new Dictionary<string, List<double>>();
        var shortIsi = new Dictionary<string, (long Short, long All)>();
        foreach (var r in Sessions.Value)
        {
            for (int u = 0; u < r.Units.Count; u++)
            {
                var unit = r.Units[u];
                var times = r.Spikes.TimesOf(u);
                var isi = times.Zip(times.Skip(1), (a, b) => b - a).ToArray();
                double refractory = Meta(unit, SyntheticLabels.RefractoryColumn) / 1000;
                // Refractoriness is exact: not one interval shorter than the unit's refractory period.
                Assert.True(isi.All(x => x >= refractory), $"{unit.UnitId} ({unit.CellType}) has an ISI below {refractory * 1000} ms");
                Assert.Equal(times.Length / r.DurationSeconds, Meta(unit, SyntheticLabels.MeanRateColumn), 3);
                Add(rate, unit.CellType!, times.Length / r.DurationSeconds);
                if (isi.Length >= 20)
                {
                    double m = isi.Average(), sd = Math.Sqrt(isi.Select(x => (x - m) * (x - m)).Average());
                    Add(cv, unit.CellType!, sd / m);
                }
                var (s, a) = shortIsi.GetValueOrDefault(unit.CellType!);
                shortIsi[unit.CellType!] = (s + isi.Count(x => x < 0.010), a + isi.Length);
            }
        }
        double Rate(string type) => rate[type].Average();
        double Cv(string type) => cv[type].Average();
        double Burst(string type) => (double)shortIsi[type].Short / shortIsi[type].All;

        Assert.True(Rate(SyntheticLabels.FastSpiking) > 2 * Rate(SyntheticLabels.RegularSpiking));
        Assert.True(Rate(SyntheticLabels.RegularSpiking) > Rate(SyntheticLabels.LowRateIrregular));
        Assert.True(Rate(SyntheticLabels.Bursting) > Rate(SyntheticLabels.LowRateIrregular));
        Assert.Equal(Rate(SyntheticLabels.LowRateIrregular), SyntheticLabels.CellTypes.Min(Rate));
        Assert.InRange(Cv(SyntheticLabels.LowRateIrregular), 0.8, 1.4);
        Assert.True(Cv(SyntheticLabels.FastSpiking) < Cv(SyntheticLabels.RegularSpiking) - 0.1);
        Assert.True(Cv(SyntheticLabels.Bursting) > 1.5);
        Assert.True(Burst(SyntheticLabels.Bursting) > 0.4);
        Assert.True(Burst(SyntheticLabels.Bursting) > 10 * Burst(SyntheticLabels.RegularSpiking));
        Assert.True(Burst(SyntheticLabels.Bursting) > 10 * Burst(SyntheticLabels.LowRateIrregular));
    }

    private static void Add(Dictionary<string, List<double>> d, string key, double value)
    {
        if (!d.TryGetValue(key, out var list)) d[key] = list = new List<double>();
        list.Add(value);
    }

    [Fact]
    public void Region_shows_in_co_activity_but_hardly_in_firing_rate()
    {
        double within = 0, across = 0;
        int nWithin = 0, nAcross = 0;
        var logRates = new Dictionary<string, List<double>>();
        foreach (var r in Sessions.Value)
        {
            var counts = Bin(r, 0.05);
            for (int a = 0; a < counts.Length; a++)
            {
                Add(logRates, r.Units[a].BrainRegion!, Math.Log(Math.Max(counts[a].Sum(), 1) / r.DurationSeconds));
                for (int b = a + 1; b < counts.Length; b++)
                {
                    double c = Correlation(counts[a], counts[b]);
                    if (r.Units[a].BrainRegion == r.Units[b].BrainRegion) { within += c; nWithin++; }
                    else { across += c; nAcross++; }
                }
            }
        }
        within /= nWithin;
        across /= nAcross;
        Assert.True(within > across + 0.015, $"mean pairwise correlation within regions {within:F4}, across {across:F4}");
        Assert.True(within > 3 * across, $"mean pairwise correlation within regions {within:F4}, across {across:F4}");

        // Rate alone: region means of log rate differ far less than units within a region do.
        var means = logRates.Values.Select(v => v.Average()).ToArray();
        double between = Sd(means);
        double spread = logRates.Values.Average(v => Sd(v.ToArray()));
        Assert.True(between < 0.35 * spread, $"between-region sd {between:F3}, within-region sd {spread:F3}");
    }

    [Fact]
    public void Behaviour_stays_in_the_arena_and_velocity_is_the_derivative_of_position()
    {
        foreach (var r in Sessions.Value)
        {
            var bh = r.Behavior!;
            Assert.Equal(new[] { "x", "y", "vx", "vy" }, bh.ChannelNames);
            Assert.Equal((int)(Small.DurationSeconds * Small.BehaviorSampleRateHz), bh.Count);
            var ts = bh.Timestamps;
            foreach (var name in new[] { "x", "y" })
                Assert.All(bh.Channel(name).ToArray(), v => Assert.InRange(v, 0f, (float)Small.ArenaSizeMeters));
            foreach (var (p, v) in new[] { ("x", "vx"), ("y", "vy") })
            {
                var pos = bh.Channel(p);
                var vel = bh.Channel(v);
                var diff = new double[bh.Count - 1];
                var mid = new double[bh.Count - 1];
                for (int i = 0; i < diff.Length; i++)
                {
                    diff[i] = (pos[i + 1] - pos[i]) / (ts[i + 1] - ts[i]);
                    mid[i] = 0.5 * (vel[i] + vel[i + 1]);
                }
                Assert.True(Correlation(diff, mid) > 0.98, $"{v} vs d{p}/dt: r = {Correlation(diff, mid):F3}");
                Assert.True(Sd(mid) > 0.03, $"{v} barely moves");
            }
        }
    }

    [Fact]
    public void Tuned_units_fire_with_their_tuning_variable()
    {
        var placeRatios = new List<double>();
        var velocity = new List<double>();
        foreach (var r in Sessions.Value)
        {
            var counts = Bin(r, 0.1);
            var bh = r.Behavior!;
            int bins = counts[0].Length;
            // Behaviour at the bin centres (samples every 20 ms).
            var x = new double[bins]; var y = new double[bins]; var vx = new double[bins]; var vy = new double[bins];
            for (int k = 0; k < bins; k++)
            {
                int i = Math.Min(bh.Count - 1, (int)((k + 0.5) * 0.1 * Small.BehaviorSampleRateHz));
                (x[k], y[k], vx[k], vy[k]) = (bh.Channel("x")[i], bh.Channel("y")[i], bh.Channel("vx")[i], bh.Channel("vy")[i]);
            }
            for (int u = 0; u < r.Units.Count; u++)
            {
                var unit = r.Units[u];
                switch (unit.GetMetadata(SyntheticLabels.TuningColumn))
                {
                    case SyntheticLabels.PlaceTuning:
                        // Rate within 7 cm of the field centre against rate beyond 30 cm, for cells whose field was visited.
                        double px = Meta(unit, SyntheticLabels.PlaceXColumn), py = Meta(unit, SyntheticLabels.PlaceYColumn);
                        double inField = 0, outField = 0;
                        int inBins = 0, outBins = 0;
                        for (int k = 0; k < bins; k++)
                        {
                            double d = Math.Sqrt((x[k] - px) * (x[k] - px) + (y[k] - py) * (y[k] - py));
                            if (d < 0.07) { inField += counts[u][k]; inBins++; }
                            else if (d > 0.3) { outField += counts[u][k]; outBins++; }
                        }
                        if (inBins >= 10 && outField > 0) placeRatios.Add(inField / inBins / (outField / outBins));
                        break;
                    case SyntheticLabels.VelocityTuning:
                        double dir = Meta(unit, SyntheticLabels.PreferredDirectionColumn) * Math.PI / 180;
                        var along = Enumerable.Range(0, bins).Select(k => vx[k] * Math.Cos(dir) + vy[k] * Math.Sin(dir)).ToArray();
                        velocity.Add(Correlation(counts[u], along));
                        break;
                }
            }
        }
        Assert.True(placeRatios.Count >= 3, $"only {placeRatios.Count} place fields were visited");
        Assert.NotEmpty(velocity);
        double ratio = placeRatios.Order().ElementAt(placeRatios.Count / 2);
        Assert.True(ratio > 1.5, $"median in-field / out-of-field rate {ratio:F2} over {placeRatios.Count} cells");
        Assert.True(velocity.Average() > 0.07, $"mean velocity correlation {velocity.Average():F3}");
    }

    [Theory]
    [InlineData(nameof(SyntheticOptions.Subjects))]
    [InlineData(nameof(SyntheticOptions.SessionsPerSubject))]
    [InlineData(nameof(SyntheticOptions.UnitsPerSession))]
    [InlineData(nameof(SyntheticOptions.DurationSeconds))]
    [InlineData(nameof(SyntheticOptions.TunedFraction))]
    [InlineData(nameof(SyntheticOptions.BehaviorSampleRateHz))]
    [InlineData(nameof(SyntheticOptions.TrialMaxSeconds))]
    [InlineData(nameof(SyntheticOptions.Regions))]
    public void Bad_options_are_refused_naming_the_option(string option)
    {
        var bad = option switch
        {
            nameof(SyntheticOptions.Subjects) => new SyntheticOptions { Subjects = 0 },
            nameof(SyntheticOptions.SessionsPerSubject) => new SyntheticOptions { SessionsPerSubject = -1 },
            nameof(SyntheticOptions.UnitsPerSession) => new SyntheticOptions { UnitsPerSession = 3 }, // fewer than the 4 regions
            nameof(SyntheticOptions.DurationSeconds) => new SyntheticOptions { DurationSeconds = double.NaN },
            nameof(SyntheticOptions.TunedFraction) => new SyntheticOptions { TunedFraction = 1.5 },
            nameof(SyntheticOptions.BehaviorSampleRateHz) => new SyntheticOptions { BehaviorSampleRateHz = 0 },
            nameof(SyntheticOptions.TrialMaxSeconds) => new SyntheticOptions { TrialMinSeconds = 5, TrialMaxSeconds = 4 },
            _ => new SyntheticOptions { Regions = Array.Empty<string>() },
        };
        var e = Assert.ThrowsAny<ArgumentException>(() => SyntheticDataset.Generate(bad));
        Assert.Equal(option, e.ParamName);
        Assert.IsType<ArgumentOutOfRangeException>(e);
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticDataset.GenerateSession(new SyntheticOptions(), 4, 0));
    }

    [Fact]
    public void Write_then_open_gives_the_same_spikes_and_records_provenance()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("synthetic");
        var options = new SyntheticOptions { Subjects = 1, SessionsPerSubject = 2, UnitsPerSession = 8, DurationSeconds = 10, Seed = 5 };
        var reports = new List<WorkProgress>();
        SyntheticDataset.Write(options, path, new DatasetWriterOptions { RowGroupSize = 1000 }, new SynchronousProgress<WorkProgress>(reports.Add));
        var ds = NeuralDataset.Open(path);
        Assert.Equal(new[] { "sub-01_ses-01", "sub-01_ses-02" }, ds.Sessions.Select(s => s.SessionId));
        Assert.Equal(SyntheticDataset.GeneratorName, ds.Manifest.Provenance["generator"]);
        Assert.Equal("5", ds.Manifest.Provenance["seed"]);
        Assert.Equal("8", ds.Manifest.Provenance["synthetic.UnitsPerSession"]);
        Assert.Equal(3, reports.Count);
        foreach (var expected in SyntheticDataset.Generate(options))
        {
            var read = ds.ReadRecording(expected.SessionId);
            Assert.True(expected.Spikes.Timestamps.SequenceEqual(read.Spikes.Timestamps));
            Assert.True(expected.Spikes.UnitIndices.SequenceEqual(read.Spikes.UnitIndices));
            Assert.Equal(expected.Units.Select(u => (u.BrainRegion, u.CellType)), read.Units.Select(u => (u.BrainRegion, u.CellType)));
            Assert.Equal(expected.Units[0].GetMetadata(SyntheticLabels.TuningColumn), read.Units[0].GetMetadata(SyntheticLabels.TuningColumn));
            Assert.True(expected.Behavior!.Channel("vy").SequenceEqual(read.Behavior!.Channel("vy")));
            Assert.Equal(expected.Intervals.Count, read.Intervals.Count);
        }
    }

    [Fact]
    public void Ziggurat_draws_have_the_right_moments()
    {
        var rng = new Xoshiro256StarStar(42);
        const int n = 400_000;
        double sum = 0, sumSq = 0, sum4 = 0, expSum = 0, expSq = 0;
        for (int i = 0; i < n; i++)
        {
            double g = rng.NextGaussian();
            sum += g; sumSq += g * g; sum4 += g * g * g * g;
            double e = rng.NextExponential();
            expSum += e; expSq += e * e;
        }
        Assert.InRange(sum / n, -0.01, 0.01);
        Assert.InRange(sumSq / n, 0.98, 1.02);
        Assert.InRange(sum4 / n, 2.9, 3.1);
        Assert.InRange(expSum / n, 0.99, 1.01);
        Assert.InRange(expSq / n, 1.95, 2.05);
    }

    private static double[][] Bin(Recording r, double width)
    {
        int bins = (int)(r.DurationSeconds / width);
        var counts = new double[r.Units.Count][];
        for (int u = 0; u < counts.Length; u++) counts[u] = new double[bins];
        var t = r.Spikes.Timestamps;
        var units = r.Spikes.UnitIndices;
        for (int i = 0; i < t.Length; i++) counts[units[i]][Math.Min(bins - 1, (int)(t[i] / width))]++;
        return counts;
    }

    private static double Sd(double[] v)
    {
        double m = v.Average();
        return Math.Sqrt(v.Select(x => (x - m) * (x - m)).Average());
    }

    private static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double x = a[i] - ma, y = b[i] - mb;
            sab += x * y; saa += x * x; sbb += y * y;
        }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.Sqrt(saa * sbb);
    }
}
