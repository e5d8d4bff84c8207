using MLNeuro.Loaders;

namespace MLNeuro.Transforms.Tests;

public sealed class AugmentationTests
{
    private static Recording Population(int units = 100, double seconds = 120)
    {
        var random = new Random(1);
        var spec = Enumerable.Range(0, units).Select(u => ($"n{u}", SyntheticTrains.Poisson(random, 5, 0, seconds))).ToArray();
        return SyntheticTrains.Build("s", seconds, spec);
    }

    private static readonly Recording Rec = Population();

    [Fact]
    public void Uniform_dropout_keeps_a_fraction_within_bounds_and_only_kept_units_spike()
    {
        var dropout = new UnitDropout(new UnitDropoutOptions { MinKeepFraction = 0.5, MaxKeepFraction = 0.8 });
        var view = AugmentedView.Of(Rec.Slice(0, 10));
        var fractions = new List<double>();
        for (int seed = 0; seed < 300; seed++)
        {
            var v = dropout.Apply(view, new Random(seed));
            double f = v.KeptUnits.Length / 100.0;
            Assert.InRange(f, 0.5, 0.8);
            fractions.Add(f);
            Assert.Same(Rec.Units, v.Recording.Units); // no re-indexing
            var kept = new HashSet<int>(v.KeptUnits.ToArray());
            foreach (var u in v.Recording.Spikes.UnitIndices) Assert.Contains(u, kept);
            int expected = 0;
            foreach (var u in view.Recording.Spikes.UnitIndices) if (kept.Contains(u)) expected++;
            Assert.Equal(expected, v.Recording.Spikes.Count);
        }
        Assert.InRange(fractions.Average(), 0.62, 0.68); // uniform on [0.5, 0.8] has mean 0.65
        Assert.True(fractions.Min() < 0.53 && fractions.Max() > 0.77);
        Assert.Equal(dropout.Apply(view, new Random(9)).KeptUnits.ToArray(), dropout.Apply(view, new Random(9)).KeptUnits.ToArray());
    }

    [Fact]
    public void Triangular_dropout_follows_its_bounds_and_mean()
    {
        var dropout = new UnitDropout(new UnitDropoutOptions { Distribution = DropoutDistribution.Triangular, MinDropFraction = 0.1, ModeDropFraction = 0.2, MaxDropFraction = 0.6 });
        var random = new Random(4);
        var drops = Enumerable.Range(0, 20000).Select(_ => 1 - dropout.SampleKeepFraction(random)).ToArray();
        Assert.All(drops, d => Assert.InRange(d, 0.1 - 1e-12, 0.6 + 1e-12));
        Assert.InRange(drops.Average(), 0.3 - 0.005, 0.3 + 0.005); // (0.1 + 0.2 + 0.6) / 3
        Assert.Equal(0.1, UnitDropout.Triangular(0, 0.1, 0.2, 0.6), 12);
        Assert.Equal(0.2, UnitDropout.Triangular(0.2, 0.1, 0.2, 0.6), 12); // CDF at the mode is (c-a)/(b-a) = 0.2
        Assert.Equal(0.6, UnitDropout.Triangular(1, 0.1, 0.2, 0.6), 12);
    }

    [Fact]
    public void Dropout_of_a_view_never_brings_back_dropped_units()
    {
        var dropout = new UnitDropout();
        var once = dropout.Apply(AugmentedView.Of(Rec.Slice(0, 10)), new Random(1));
        var twice = dropout.Apply(once, new Random(2));
        Assert.True(twice.KeptUnits.Length <= once.KeptUnits.Length);
        Assert.Subset(new HashSet<int>(once.KeptUnits.ToArray()), new HashSet<int>(twice.KeptUnits.ToArray()));
    }

    [Theory]
    [InlineData(JitterDistribution.Gaussian)]
    [InlineData(JitterDistribution.Uniform)]
    public void Jitter_keeps_count_order_and_window_and_moves_spikes_by_about_the_sd(JitterDistribution distribution)
    {
        const double sd = 0.004;
        var view = AugmentedView.Of(Rec.Slice(20, 50));
        var jittered = new SpikeJitter(new SpikeJitterOptions { JitterSeconds = sd, Distribution = distribution }).Apply(view, new Random(3));
        var before = view.Recording.Spikes;
        var after = jittered.Recording.Spikes;
        Assert.Equal(before.Count, after.Count);
        Assert.Equal(before.CountPerUnit(), after.CountPerUnit());
        var t = after.Timestamps;
        for (int i = 1; i < t.Length; i++) Assert.True(t[i] >= t[i - 1]);
        Assert.All(t.ToArray(), x => Assert.InRange(x, 20, Math.BitDecrement(50.0)));
        // Per unit, sorting both and pairing estimates the offset SD (spikes 200 ms apart on average rarely swap).
        double sum = 0;
        int n = 0;
        for (int u = 0; u < 100; u++)
        {
            var a = before.TimesOf(u);
            var b = after.TimesOf(u);
            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] < 20.05 || a[i] > 49.95) continue; // away from the reflecting edges
                sum += (b[i] - a[i]) * (b[i] - a[i]);
                n++;
            }
        }
        Assert.InRange(Math.Sqrt(sum / n), sd * 0.9, sd * 1.1);
        var again = new SpikeJitter(new SpikeJitterOptions { JitterSeconds = sd, Distribution = distribution }).Apply(view, new Random(3));
        Assert.Equal(after.Timestamps.ToArray(), again.Recording.Spikes.Timestamps.ToArray());
        Assert.Equal(after.UnitIndices.ToArray(), again.Recording.Spikes.UnitIndices.ToArray());
    }

    [Fact]
    public void Jitter_larger_than_the_window_still_keeps_every_spike_inside()
    {
        var view = AugmentedView.Of(Rec.Slice(5, 5.5));
        var jittered = new SpikeJitter(new SpikeJitterOptions { JitterSeconds = 3 }).Apply(view, new Random(8));
        Assert.Equal(view.Recording.Spikes.Count, jittered.Recording.Spikes.Count);
        Assert.All(jittered.Recording.Spikes.Timestamps.ToArray(), x => Assert.InRange(x, 5, Math.BitDecrement(5.5)));
    }

    [Fact]
    public void Crops_lie_inside_and_have_the_requested_length()
    {
        for (int seed = 0; seed < 200; seed++)
        {
            var crop = WindowCrop.Crop(Rec, 7.5, new Random(seed));
            Assert.InRange(crop.StartSeconds, Rec.StartSeconds, Rec.EndSeconds - 7.5);
            Assert.Equal(7.5, crop.DurationSeconds, 9);
            Assert.All(crop.Spikes.Timestamps.ToArray(), t => Assert.InRange(t, crop.StartSeconds, crop.EndSeconds));
        }
        var view = new WindowCrop(1).Apply(AugmentedView.Of(Rec.Slice(10, 12)), new Random(1));
        Assert.InRange(view.StartSeconds, 10, 11);
        Assert.Equal("lengthSeconds", Assert.Throws<ArgumentOutOfRangeException>(() => WindowCrop.Crop(Rec, 500, new Random(0))).ParamName);
    }

    [Fact]
    public void Multi_view_draws_k_views_within_the_offset_bound_sharing_units()
    {
        var sampler = new MultiViewSampler(new MultiViewOptions
        {
            ViewCount = 3,
            WindowSeconds = 10,
            MaxOffsetSeconds = 30,
            Augmentations = [new UnitDropout(), new SpikeJitter()],
        });
        for (int seed = 0; seed < 100; seed++)
        {
            var sample = sampler.Sample(Rec, seed);
            Assert.Equal(3, sample.Views.Count);
            Assert.Equal("s", sample.SessionId);
            foreach (var a in sample.Views)
            {
                Assert.Same(Rec.Units, a.Recording.Units);
                Assert.Equal(10, a.Recording.DurationSeconds, 9);
                Assert.InRange(a.StartSeconds, Rec.StartSeconds, Rec.EndSeconds - 10);
                Assert.InRange(a.KeptUnits.Length, 50, 100);
                foreach (var b in sample.Views) Assert.True(Math.Abs(a.StartSeconds - b.StartSeconds) <= 30 + 1e-9);
            }
        }
        var first = sampler.Sample(Rec, 42);
        var second = sampler.Sample(Rec, 42);
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(first.Views[k].StartSeconds, second.Views[k].StartSeconds);
            Assert.Equal(first.Views[k].KeptUnits.ToArray(), second.Views[k].KeptUnits.ToArray());
            Assert.Equal(first.Views[k].Recording.Spikes.Timestamps.ToArray(), second.Views[k].Recording.Spikes.Timestamps.ToArray());
        }
        Assert.NotEqual(first.Views[0].StartSeconds, sampler.Sample(Rec, 43).Views[0].StartSeconds);
    }

    [Fact]
    public void Multi_view_on_a_recording_barely_longer_than_the_window_stays_inside()
    {
        var shortRec = SyntheticTrains.Build("short", 10.5, ("u", new[] { 1.0, 9.0 }));
        var sample = new MultiViewSampler(new MultiViewOptions { Augmentations = [] }).Sample(shortRec, 1);
        Assert.All(sample.Views, v => Assert.InRange(v.StartSeconds, 0, 0.5));
        Assert.Throws<ArgumentException>(() => new MultiViewSampler(new MultiViewOptions { WindowSeconds = 11 }).Sample(shortRec, 1));
    }

    [Fact]
    public void Bad_options_name_the_option()
    {
        Assert.Equal("MinKeepFraction", Assert.Throws<ArgumentOutOfRangeException>(() => new UnitDropout(new UnitDropoutOptions { MinKeepFraction = -0.1 })).ParamName);
        Assert.Equal("MaxKeepFraction", Assert.Throws<ArgumentOutOfRangeException>(() => new UnitDropout(new UnitDropoutOptions { MaxKeepFraction = 1.2 })).ParamName);
        Assert.Equal("ModeDropFraction", Assert.Throws<ArgumentOutOfRangeException>(() => new UnitDropout(new UnitDropoutOptions { ModeDropFraction = 0.9 })).ParamName);
        Assert.Equal("ViewCount", Assert.Throws<ArgumentOutOfRangeException>(() => new MultiViewSampler(new MultiViewOptions { ViewCount = 1 })).ParamName);
        Assert.Equal("MaxOffsetSeconds", Assert.Throws<ArgumentOutOfRangeException>(() => new MultiViewSampler(new MultiViewOptions { MaxOffsetSeconds = -1 })).ParamName);
        Assert.Equal("JitterSeconds", Assert.Throws<ArgumentOutOfRangeException>(() => new SpikeJitter(new SpikeJitterOptions { JitterSeconds = -0.001 })).ParamName);
    }
}
