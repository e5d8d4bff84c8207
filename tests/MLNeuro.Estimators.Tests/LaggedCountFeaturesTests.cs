using MLNeuro.Loaders;

namespace MLNeuro.Estimators.Tests;

public sealed class LaggedCountFeaturesTests
{
    private static Recording TwoUnits(double start)
    {
        var builder = new RecordingBuilder("s", "subject");
        builder.AddUnit(new UnitInfo("a"));
        builder.AddUnit(new UnitInfo("b"));
        foreach (double t in new[] { 0.5, 1.2, 1.7, 2.5 }) builder.AddSpike(0, start + t);
        builder.AddSpike(1, start + 3.1);
        builder.SetDomain(start, start + 10);
        return builder.Build();
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(100.0)]
    public void Features_are_sqrt_counts_of_the_lags_ending_at_the_current_bin_with_zeros_before_the_recording(double start)
    {
        // 1 s bins on the grid anchored at the recording's start; 3 lags, unit-major, oldest lag first.
        var times = new[] { start + 1.5, start + 3.0, start + 3.9 };
        var features = LaggedCountFeatures.Compute(TwoUnits(start), times, binSeconds: 1, lags: 3);
        float r2 = MathF.Sqrt(2);
        float[] expected =
        [
            // t = 1.5 (bin 1): bins -1 (before the recording: zero), 0, 1
            0, 1, r2, /* unit b */ 0, 0, 0,
            // t = 3.0, on a bin edge, is in bin 3: bins 1, 2, 3 (unit b's spike at 3.1 is in the current bin)
            r2, 1, 0, /* unit b */ 0, 0, 1,
            // t = 3.9 (bin 3): same bins
            r2, 1, 0, /* unit b */ 0, 0, 1,
        ];
        Assert.Equal(expected, features);
    }

    [Fact]
    public void Lead_bins_shift_the_window_past_the_prediction_time_and_read_zeros_after_the_recording()
    {
        var recording = TwoUnits(0);
        // Two of three bins after t's bin: t = 1.5 reads bins 1, 2, 3, exactly what a causal window at t = 3.5 reads.
        var centred = LaggedCountFeatures.Compute(recording, [1.5], binSeconds: 1, lags: 3, leads: 2);
        var causal = LaggedCountFeatures.Compute(recording, [3.5], binSeconds: 1, lags: 3);
        Assert.Equal(causal, centred);
        // At the end of the recording (10 s) the lead bins hold no spikes.
        var end = LaggedCountFeatures.Compute(recording, [9.5], binSeconds: 1, lags: 3, leads: 2);
        Assert.All(end, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Features_of_one_time_do_not_depend_on_the_other_times_asked()
    {
        var recording = TwoUnits(0);
        var all = LaggedCountFeatures.Compute(recording, new[] { 1.5, 3.9, 7.2 }, binSeconds: 0.5, lags: 4);
        var last = LaggedCountFeatures.Compute(recording, new[] { 7.2 }, binSeconds: 0.5, lags: 4);
        var first = LaggedCountFeatures.Compute(recording, new[] { 1.5 }, binSeconds: 0.5, lags: 4);
        Assert.Equal(first, all[..8]);
        Assert.Equal(last, all[16..]);
    }

    [Fact]
    public void Scaling_z_scores_each_unit_over_its_lags_and_zeroes_silent_units()
    {
        float[] features = [1, 3, 0, 0, /* second sample */ 1, 3, 0, 0];
        var scaling = LaggedFeatureScaling.Fit([features], units: 2, lags: 2);
        Assert.Equal([2.0, 0.0], scaling.Mean);
        Assert.Equal([1.0, 0.0], scaling.Std);
        scaling.Apply(features, lags: 2);
        Assert.Equal([-1f, 1f, 0f, 0f, -1f, 1f, 0f, 0f], features);
    }
}
