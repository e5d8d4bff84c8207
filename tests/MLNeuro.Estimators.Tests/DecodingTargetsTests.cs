using MLNeuro.Loaders;
using static MLNeuro.Estimators.Tests.DecodingTestData;

namespace MLNeuro.Estimators.Tests;

/// <summary>BehaviorTargets, ChannelNormalization and R2Accumulator against hand-computed values.</summary>
public sealed class DecodingTargetsTests
{
    // ---------- BehaviorTargets ----------

    private static Recording Session()
    {
        // x = t, y = 10 t, speed = NaN at t = 3; samples at t = 0..9.
        var behavior = Sampled(0, 1, 10, ("x", t => (float)t), ("y", t => (float)(10 * t)), ("speed", t => t == 3 ? float.NaN : 1f));
        return Recording("s1", 0, 10, behavior);
    }

    [Fact]
    public void Targets_hold_the_samples_inside_each_interval_in_the_requested_channel_order()
    {
        var targets = BehaviorTargets.Read(Session(), ["y", "x"], [new Interval(1, 3, "eval"), new Interval(6, 7.5, "eval")]);

        Assert.Equal(2, targets.ChannelCount);
        Assert.Equal(new double[] { 1, 2, 6, 7 }, targets.Times); // ends are exclusive: t = 3 is out
        Assert.Equal(new float[] { 10, 1, 20, 2, 60, 6, 70, 7 }, targets.Values);
        Assert.Equal(4, targets.Count);
    }

    [Fact]
    public void Targets_keep_NaN_values()
    {
        var targets = BehaviorTargets.Read(Session(), ["speed"], [new Interval(2, 5, "eval")]);
        Assert.Equal(3, targets.Count);
        Assert.Equal(1f, targets.Values[0]);
        Assert.True(float.IsNaN(targets.Values[1]));
        Assert.Equal(1f, targets.Values[2]);
    }

    [Fact]
    public void Targets_of_no_interval_or_an_empty_interval_are_empty()
    {
        Assert.Equal(0, BehaviorTargets.Read(Session(), ["x"], []).Count);
        Assert.Empty(BehaviorTargets.Read(Session(), ["x"], [new Interval(2.2, 2.8, "eval")]).Values);
    }

    [Fact]
    public void A_missing_channel_is_an_error_naming_the_session_the_channel_and_the_channels_there_are()
    {
        var error = Assert.Throws<ArgumentException>(() => BehaviorTargets.Read(Session(), ["x", "vx"], [new Interval(0, 10, "eval")]));
        Assert.Equal("channels", error.ParamName);
        Assert.Contains("'s1'", error.Message);
        Assert.Contains("'vx'", error.Message);
        Assert.Contains("x, y, speed", error.Message);
    }

    [Fact]
    public void A_session_without_behaviour_or_no_channel_is_an_error()
    {
        var error = Assert.Throws<ArgumentException>(() => BehaviorTargets.Read(Recording("bare", 0, 1), ["x"], []));
        Assert.Contains("'bare'", error.Message);
        Assert.Equal("recording", error.ParamName);
        Assert.Equal("channels", Assert.Throws<ArgumentException>(() => BehaviorTargets.Read(Session(), [], [])).ParamName);
    }

    // ---------- ChannelNormalization ----------

    [Fact]
    public void Normalization_is_the_mean_and_population_sd_of_the_finite_training_values()
    {
        // Channel a: 1, 2, NaN | 3, 6 -> mean 3, population variance (4 + 1 + 0 + 9) / 4 = 3.5.
        // Channel b: 100, NaN, 102 | 104, NaN -> mean 102, variance (4 + 0 + 4) / 3 = 8/3.
        var first = new BehaviorTargets([0, 1, 2], [1, 100, 2, float.NaN, float.NaN, 102], 2);
        var second = new BehaviorTargets([3, 4], [3, 104, 6, float.NaN], 2);
        var norm = ChannelNormalization.Fit([first, second], ["a", "b"]);

        Assert.Equal(2, norm.ChannelCount);
        Assert.Equal(3, norm.Mean[0], 12);
        Assert.Equal(102, norm.Mean[1], 12);
        Assert.Equal(Math.Sqrt(3.5), norm.Std[0], 12);
        Assert.Equal(Math.Sqrt(8.0 / 3), norm.Std[1], 12);
    }

    [Fact]
    public void Normalize_then_denormalize_gives_the_values_back_and_NaN_stays_NaN()
    {
        var values = new float[] { 1, 100, 2, float.NaN, 3, 102, 6, 104 };
        var norm = ChannelNormalization.Fit([new BehaviorTargets([0, 1, 2, 3], values, 2)], ["a", "b"]);
        var z = new float[values.Length];
        norm.Normalize(values, z);

        Assert.Equal((1 - norm.Mean[0]) / norm.Std[0], z[0], 5);
        Assert.True(float.IsNaN(z[3]));
        // The normalised finite values of each channel have mean 0 and sd 1.
        var a = new[] { z[0], z[2], z[4], z[6] };
        Assert.Equal(0, a.Average(), 5);
        Assert.Equal(1, Math.Sqrt(a.Average(v => v * v)), 5);

        norm.Denormalize(z, z); // in place
        for (int i = 0; i < values.Length; i++)
            if (float.IsNaN(values[i])) Assert.True(float.IsNaN(z[i]));
            else Assert.Equal(values[i], z[i], 3);
    }

    [Fact]
    public void A_constant_channel_gets_a_tiny_sd_instead_of_dividing_by_zero()
    {
        var norm = ChannelNormalization.Fit([new BehaviorTargets([0, 1], [5, 5], 1)], ["c"]);
        Assert.Equal(5, norm.Mean[0]);
        Assert.Equal(1e-8, norm.Std[0]);
    }

    [Fact]
    public void A_channel_without_a_finite_training_value_is_an_error_naming_it()
    {
        var targets = new BehaviorTargets([0, 1], [1, float.NaN, 2, float.NaN], 2);
        var error = Assert.Throws<ArgumentException>(() => ChannelNormalization.Fit([targets], ["x_px", "y_px"]));
        Assert.Contains("'y_px'", error.Message);
        Assert.Contains("3 channels", Assert.Throws<ArgumentException>(() => ChannelNormalization.Fit([targets with { ChannelCount = 3 }], ["a", "b"])).Message);
    }

    // ---------- R2Accumulator ----------

    [Fact]
    public void R2_matches_a_hand_computed_value_accumulated_over_batches()
    {
        // Channel 0: y = 1, 2, 3, 4; p = 1, 2, 2, 5 -> SSres = 2, mean 2.5, SStot = 5 -> R² = 0.6.
        // Channel 1: y = 0, 0, 2, 2; p = 1, 1, 1, 1 -> SSres = 4, SStot = 4 -> R² = 0.
        var r2 = new R2Accumulator(2);
        r2.Add([1, 0, 2, 0], [1, 1, 2, 1]);
        r2.Add([3, 2, 4, 2], [2, 1, 5, 1]);

        var values = r2.R2();
        Assert.Equal(0.6, values[0], 12);
        Assert.Equal(0.0, values[1], 12);
        Assert.Equal(new long[] { 4, 4 }, r2.Counts);
    }

    [Fact]
    public void R2_of_a_perfect_prediction_is_1_and_worse_than_the_mean_is_negative()
    {
        var perfect = new R2Accumulator(1);
        perfect.Add([1, 5, 2], [1, 5, 2]);
        Assert.Equal(1.0, perfect.R2()[0]);

        // y = 0, 2 (mean 1, SStot 2); p = 2, 0 -> SSres 8 -> R² = -3.
        var bad = new R2Accumulator(1);
        bad.Add([0, 2], [2, 0]);
        Assert.Equal(-3.0, bad.R2()[0], 12);
    }

    [Fact]
    public void NaN_truth_is_skipped_element_by_element_even_with_a_NaN_prediction()
    {
        var withNaN = new R2Accumulator(2);
        withNaN.Add([1, 7, float.NaN, 8, 3, float.NaN, 4, 9], [1, 7, float.NaN, 9, 2, 0, 5, 9]);
        var without = new R2Accumulator(2);
        without.Add([1, 7, 3, 8, 4, 9], [1, 7, 2, 9, 5, 9]);

        Assert.Equal(new long[] { 3, 3 }, withNaN.Counts);
        Assert.Equal(without.R2(), withNaN.R2());
    }

    [Fact]
    public void A_NaN_prediction_of_a_finite_truth_is_an_error()
    {
        var r2 = new R2Accumulator(1);
        var error = Assert.Throws<ArgumentException>(() => r2.Add([1, 2], [1, float.NaN]));
        Assert.Equal("predicted", error.ParamName);
        Assert.Contains("prediction 1", error.Message);
        Assert.Throws<ArgumentException>(() => r2.Add([1], [float.PositiveInfinity]));
    }

    [Fact]
    public void Malformed_batches_are_errors()
    {
        var r2 = new R2Accumulator(2);
        Assert.Equal("predicted", Assert.Throws<ArgumentException>(() => r2.Add([1, 2], [1])).ParamName);
        Assert.Equal("truth", Assert.Throws<ArgumentException>(() => r2.Add([1, 2, 3], [1, 2, 3])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new R2Accumulator(0));
    }

    [Fact]
    public void Constant_or_missing_truth_gives_NaN()
    {
        var r2 = new R2Accumulator(2);
        r2.Add([4, float.NaN, 4, float.NaN], [3, 0, 5, 0]);
        Assert.All(r2.R2(), v => Assert.True(double.IsNaN(v)));
    }

    [Theory]
    [InlineData(0.1f)]
    [InlineData(479.3f)]
    [InlineData(-1234.567f)]
    [InlineData(0.7f)]
    public void Constant_truth_with_an_offset_gives_NaN_not_a_rounding_artifact(float value)
    {
        // A position stuck at one pixel value for a long stretch (tracking frozen) is constant truth: its R² is undefined.
        // Σy² - (Σy)²/n cancels catastrophically here and can leave a tiny positive total, turning R² into -1e10.
        for (int n = 1; n <= 5000; n = n * 3 + 1)
        {
            var r2 = new R2Accumulator(1);
            var truth = Enumerable.Repeat(value, n).ToArray();
            r2.Add(truth, truth.Select(v => v + 1).ToArray());
            Assert.True(double.IsNaN(r2.R2()[0]), $"n = {n}: R² {r2.R2()[0]}");
        }
    }

    [Fact]
    public void R2_with_a_large_offset_matches_the_offset_free_value()
    {
        // Pixel positions around 480 with small spread: R² must not depend on the offset.
        var random = new Random(4);
        var y = Enumerable.Range(0, 20_000).Select(_ => (float)random.NextDouble()).ToArray();
        var p = y.Select(v => v + (float)(0.3 * (random.NextDouble() - 0.5))).ToArray();
        var plain = new R2Accumulator(1);
        plain.Add(y, p);
        var shifted = new R2Accumulator(1);
        shifted.Add(y.Select(v => v + 480f).ToArray(), p.Select(v => v + 480f).ToArray());
        Assert.Equal(plain.R2()[0], shifted.R2()[0], 3);
    }
}
