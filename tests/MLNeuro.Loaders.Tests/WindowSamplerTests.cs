using MLNeuro.Loaders.Views;

namespace MLNeuro.Loaders.Tests;

public sealed class WindowSamplerTests
{
    private static readonly TimeWindow[] Regions = { new(0, 2), new(5, 5.5), new(10, 13) };

    [Fact]
    public void Random_windows_have_the_length_and_lie_inside_one_region()
    {
        var sampler = new WindowSampler(1.0, WindowMode.Random, windowsPerSession: 500);
        var windows = sampler.Sample(Regions, new Random(1));
        Assert.Equal(500, windows.Count);
        foreach (var w in windows)
        {
            Assert.Equal(1.0, w.DurationSeconds, 1e-12);
            Assert.Contains(Regions, r => r.Start <= w.Start && w.End <= r.End);
        }
        // Regions are weighted by their room: [0, 2) has 1 s of room, [10, 13) has 2 s, [5, 5.5) cannot hold a window.
        double share = windows.Count(w => w.Start >= 10) / 500.0;
        Assert.InRange(share, 0.55, 0.78);
    }

    [Fact]
    public void Random_windows_depend_only_on_the_seed()
    {
        var sampler = new WindowSampler(0.5, WindowMode.Random, windowsPerSession: 10);
        Assert.Equal(sampler.Sample(Regions, new Random(4)), sampler.Sample(Regions, new Random(4)));
        Assert.NotEqual(sampler.Sample(Regions, new Random(4)), sampler.Sample(Regions, new Random(5)));
    }

    [Fact]
    public void Regions_exactly_one_window_long_are_chosen_uniformly()
    {
        var sampler = new WindowSampler(1.0, WindowMode.Random, windowsPerSession: 100);
        var windows = sampler.Sample(new TimeWindow[] { new(0, 1), new(3, 4) }, new Random(2));
        Assert.All(windows, w => Assert.True(w == new TimeWindow(0, 1) || w == new TimeWindow(3, 4)));
        Assert.Contains(windows, w => w.Start == 3);
        Assert.Contains(windows, w => w.Start == 0);
    }

    [Fact]
    public void Sequential_windows_tile_each_region_including_the_last_exact_fit()
    {
        var sampler = new WindowSampler(0.1, WindowMode.Sequential);
        var windows = sampler.Sample(new TimeWindow[] { new(0, 1.5) }, null);
        Assert.Equal(15, windows.Count); // 14 * 0.1 + 0.1 rounds above 1.5: the tolerance keeps the last window
        Assert.Equal(15, sampler.Count(new TimeWindow[] { new(0, 1.5) }));
        Assert.All(windows, w => Assert.True(w.End <= 1.5));
        for (int i = 1; i < windows.Count; i++) Assert.Equal(windows[i - 1].End, windows[i].Start, 1e-12);
    }

    [Fact]
    public void Sequential_stride_controls_overlap_and_short_regions_yield_nothing()
    {
        var sampler = new WindowSampler(1.0, WindowMode.Sequential, strideSeconds: 0.75);
        Assert.Equal(new TimeWindow[] { new(0, 1), new(0.75, 1.75), new(10, 11), new(10.75, 11.75), new(11.5, 12.5) }, sampler.Sample(Regions, null));
        Assert.Equal(0, sampler.Count(new TimeWindow[] { new(0, 0.99) }));
        Assert.Equal(0, new WindowSampler(1.0, WindowMode.Random, 3).Count(new TimeWindow[] { new(0, 0.99) }));
    }

    [Fact]
    public void Eligible_regions_are_the_domain_or_the_clipped_intervals_of_a_kind()
    {
        var intervals = new IntervalSet(new[]
        {
            new Interval(-1, 1, "trial"), new Interval(2, 3, "trial"), new Interval(2, 8, "epoch"), new Interval(9, 12, "trial"), new Interval(20, 21, "trial"),
        });
        Assert.Equal(new TimeWindow[] { new(0, 10) }, WindowSampler.EligibleRegions(0, 10, intervals, null));
        Assert.Equal(new TimeWindow[] { new(0, 1), new(2, 3), new(9, 10) }, WindowSampler.EligibleRegions(0, 10, intervals, "trial"));
        Assert.Empty(WindowSampler.EligibleRegions(0, 10, intervals, "stimulus"));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(double.PositiveInfinity)]
    public void Bad_window_length_names_the_option(double seconds)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new WindowSampler(seconds));
        Assert.Contains("WindowSeconds", e.Message);
    }

    [Fact]
    public void Other_bad_options_name_the_option()
    {
        Assert.Contains("WindowsPerSession", Assert.Throws<ArgumentOutOfRangeException>(() => new WindowSampler(1, WindowMode.Random, 0)).Message);
        Assert.Contains("StrideSeconds", Assert.Throws<ArgumentOutOfRangeException>(() => new WindowSampler(1, WindowMode.Sequential, strideSeconds: 0)).Message);
        Assert.Contains("StrideSeconds", Assert.Throws<ArgumentException>(() => new WindowSampler(1, WindowMode.Random, 1, strideSeconds: 1)).Message);
        Assert.Throws<ArgumentNullException>(() => new WindowSampler(1, WindowMode.Random, 1).Sample(Regions, null));
    }
}
