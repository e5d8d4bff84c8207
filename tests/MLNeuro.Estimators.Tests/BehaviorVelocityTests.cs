using MLNeuro.Loaders;
using static MLNeuro.Estimators.Tests.DecodingTestData;

namespace MLNeuro.Estimators.Tests;

public sealed class BehaviorVelocityTests
{
    /// <summary>Times from 0 with steps drawn uniformly in [minStep, maxStep] seconds.</summary>
    private static double[] IrregularTimes(int n, double minStep, double maxStep, int seed)
    {
        var random = new Random(seed);
        var times = new double[n];
        for (int i = 1; i < n; i++) times[i] = times[i - 1] + minStep + (maxStep - minStep) * random.NextDouble();
        return times;
    }

    private static BehaviorSeries Series(double[] times, params (string Name, Func<double, double> Value)[] channels) =>
        new(times, channels.Select(c => c.Name).ToArray(), channels.Select(c => times.Select(t => (float)c.Value(t)).ToArray()).ToArray());

    // ---------- values ----------

    [Fact]
    public void Velocity_of_a_linear_ramp_is_its_slope_everywhere_including_the_ends()
    {
        var times = Enumerable.Range(0, 600).Select(i => i / 60.0).ToArray();
        var behavior = BehaviorVelocity.AddVelocity(Series(times, ("x", t => 3 + 2.5 * t), ("y", t => -4 * t)), ["x", "y"]);

        Assert.Equal(new[] { "x", "y", "vx", "vy" }, behavior.ChannelNames);
        Assert.All(behavior.Channel("vx").ToArray(), v => Assert.Equal(2.5, v, 3));
        Assert.All(behavior.Channel("vy").ToArray(), v => Assert.Equal(-4, v, 3));
        // The original channels are copied unchanged (not smoothed).
        Assert.Equal((float)(3 + 2.5 * times[7]), behavior.Channel("x")[7]);
    }

    [Fact]
    public void Velocity_of_a_ramp_at_pixel_offsets_with_irregular_times_is_its_slope()
    {
        // Local linear smoothing reproduces a straight line whatever the spacing; only float storage of ~500 px
        // positions (steps of 3e-5 px) limits the result.
        var times = IrregularTimes(3000, 0.005, 0.04, seed: 2);
        var behavior = BehaviorVelocity.AddVelocity(Series(times, ("x_px", t => 480 + 1.5 * t)), ["x_px"]);
        Assert.All(behavior.Channel("vx_px").ToArray(), v => Assert.Equal(1.5, v, 2));
    }

    [Fact]
    public void Velocity_of_a_sine_matches_the_derivative_of_the_smoothed_sine()
    {
        // x = sin(ωt) sampled at 60 Hz, ω = π (period 2 s). A Gaussian of sd σ scales a sinusoid by g = exp(-ω²σ²/2)
        // (0.952 at σ = 0.1 s), and on a symmetric window the local line's slope is the derivative of the smoothed
        // signal, so in the interior v = g ω cos(ωt). Sampling 6 points per σ and cutting the kernel at 4σ change g by
        // less than 1e-4, so 1e-3 (0.03% of ω) bounds the interior error.
        const double Omega = Math.PI, Sd = 0.1, H = 1 / 60.0;
        var times = Enumerable.Range(0, 1200).Select(i => i * H).ToArray();
        var v = BehaviorVelocity.AddVelocity(Series(times, ("x", t => Math.Sin(Omega * t))), ["x"], new VelocityOptions { SmoothingSeconds = Sd })
            .Channel("vx").ToArray();

        double gain = Math.Exp(-Omega * Omega * Sd * Sd / 2);
        double worstInterior = 0, worstRaw = 0;
        for (int i = 0; i < times.Length; i++)
        {
            double t = times[i];
            double expected = gain * Omega * Math.Cos(Omega * t);
            if (t >= 4 * Sd && t <= times[^1] - 4 * Sd) worstInterior = Math.Max(worstInterior, Math.Abs(v[i] - expected));
            worstRaw = Math.Max(worstRaw, Math.Abs(v[i] - Omega * Math.Cos(Omega * t)));
        }
        Assert.True(worstInterior < 1e-3, $"interior error {worstInterior}");
        // Against the true derivative the error is the smoothing's attenuation (1 - gain) ω ≈ 0.15, at the ends a little
        // more (the one-sided local line); never more than twice that.
        Assert.True(worstRaw < 2 * (1 - gain) * Omega, $"error against ω cos ωt: {worstRaw}");
    }

    [Fact]
    public void Velocity_of_a_sine_with_irregular_times_matches_the_smoothed_derivative()
    {
        // Steps of 5-30 ms (~6 samples per σ, unevenly spread). Expected: g ω cos(ωt), the derivative of the smoothed
        // sine. The local parabola's slope has no curvature (f'') bias on an uneven window; what is left is the
        // third-derivative term, at most about |f'''| σ²/6 = ω³σ²/6 ≈ 0.05 (1.6% of ω): the tolerance. Measured: 0.021
        // worst, 0.005 rms. (A local line's slope, or a central difference of smoothed values, was off by 0.16-0.21.)
        const double Omega = Math.PI, Sd = 0.1;
        var times = IrregularTimes(2000, 0.005, 0.03, seed: 7);
        var v = BehaviorVelocity.AddVelocity(Series(times, ("x", t => Math.Sin(Omega * t))), ["x"]).Channel("vx").ToArray();
        double g = Math.Exp(-Omega * Omega * Sd * Sd / 2);
        double worst = 0, sq = 0; int count = 0;
        for (int i = 1; i < times.Length - 1; i++)
        {
            if (times[i] < 4 * Sd || times[i] > times[^1] - 4 * Sd) continue;
            double expected = g * Omega * Math.Cos(Omega * times[i]);
            worst = Math.Max(worst, Math.Abs(v[i] - expected)); sq += (v[i] - expected) * (v[i] - expected); count++;
        }
        Assert.True(worst < 0.05, $"worst error {worst}, rms {Math.Sqrt(sq / count)}");
    }

    [Fact]
    public void Without_smoothing_velocity_is_the_plain_central_difference()
    {
        double[] times = [0, 1, 3, 4];
        var behavior = new BehaviorSeries(times, ["x"], [new float[] { 0, 2, 4, 10 }]);
        var v = BehaviorVelocity.AddVelocity(behavior, ["x"], new VelocityOptions { SmoothingSeconds = 0 }).Channel("vx").ToArray();
        // ends one-sided: (2-0)/1, (10-4)/1; inside: (4-0)/3, (10-2)/3.
        Assert.Equal(new[] { 2f, 4f / 3, 8f / 3, 6f }, v);
    }

    // ---------- missing values ----------

    [Fact]
    public void A_NaN_gap_stays_NaN_and_its_neighbours_keep_the_slope()
    {
        var times = Enumerable.Range(0, 300).Select(i => i / 60.0).ToArray();
        var x = times.Select(t => (float)(10 + 2 * t)).ToArray();
        for (int i = 100; i <= 110; i++) x[i] = float.NaN;
        x[200] = float.PositiveInfinity; // an infinite value is missing too
        var v = BehaviorVelocity.AddVelocity(new BehaviorSeries(times, ["x"], [x]), ["x"]).Channel("vx").ToArray();

        for (int i = 0; i < v.Length; i++)
        {
            if (i is >= 100 and <= 110 or 200) Assert.True(float.IsNaN(v[i]), $"sample {i}: {v[i]}");
            else Assert.Equal(2, v[i], 3);
        }
        Assert.True(float.IsNaN(BehaviorVelocity.Smooth(times, x, 0.1)[105]));
        Assert.Equal(x[99], BehaviorVelocity.Smooth(times, x, 0.1)[99], 3);
    }

    [Fact]
    public void A_dropout_does_not_spread_into_a_moving_signal()
    {
        // Sine with a 0.2 s gap: samples next to it are smoothed from one side only; they stay within 5% of the
        // gap-free result rather than turning NaN or jumping.
        var times = Enumerable.Range(0, 600).Select(i => i / 60.0).ToArray();
        var full = times.Select(t => (float)Math.Sin(Math.PI * t)).ToArray();
        var gapped = (float[])full.Clone();
        for (int i = 300; i < 312; i++) gapped[i] = float.NaN;
        var a = BehaviorVelocity.AddVelocity(new BehaviorSeries(times, ["x"], [full]), ["x"]).Channel("vx").ToArray();
        var b = BehaviorVelocity.AddVelocity(new BehaviorSeries(times, ["x"], [gapped]), ["x"]).Channel("vx").ToArray();
        Assert.Equal(12, b.Count(float.IsNaN));
        for (int i = 0; i < times.Length; i++)
            if (!float.IsNaN(b[i])) Assert.True(Math.Abs(a[i] - b[i]) < 0.05 * Math.PI, $"sample {i}: {a[i]} vs {b[i]}");
    }

    [Fact]
    public void A_lone_sample_between_dropouts_or_at_a_repeated_time_has_NaN_velocity()
    {
        double[] times = [0, 1, 2, 3, 3, 4];
        var x = new float[] { 0, float.NaN, 5, float.NaN, float.NaN, 1 };
        var v = BehaviorVelocity.Differentiate(times, x);
        Assert.All(v, value => Assert.True(float.IsNaN(value)));

        // Two samples at the same time next to each other: the difference uses the neighbours at other times.
        var w = BehaviorVelocity.Differentiate([0, 1, 1, 2], [0, 1, 1, 2]);
        Assert.Equal(new[] { 1f, 1f, 1f, 1f }, w);
        Assert.True(float.IsNaN(BehaviorVelocity.Differentiate([5, 5], [1, 2])[0]));
    }

    // ---------- naming and options ----------

    [Fact]
    public void Derived_channels_are_named_with_the_prefix_and_can_come_alone()
    {
        var times = Enumerable.Range(0, 10).Select(i => i * 0.1).ToArray();
        var behavior = Series(times, ("x_px", t => t), ("y_px", t => 2 * t), ("speed", t => 1));
        Assert.Equal("vx_px", BehaviorVelocity.VelocityChannelName("x_px"));

        var only = BehaviorVelocity.AddVelocity(behavior, ["y_px", "x_px"], new VelocityOptions { KeepOriginalChannels = false });
        Assert.Equal(new[] { "vy_px", "vx_px" }, only.ChannelNames);
        Assert.Equal(behavior.Timestamps.ToArray(), only.Timestamps.ToArray());

        var custom = BehaviorVelocity.AddVelocity(behavior, ["x_px"], new VelocityOptions { Prefix = "d_" });
        Assert.Equal(new[] { "x_px", "y_px", "speed", "d_x_px" }, custom.ChannelNames);
    }

    [Fact]
    public void Errors_name_the_channel_or_setting()
    {
        var times = Enumerable.Range(0, 10).Select(i => i * 0.1).ToArray();
        var behavior = Series(times, ("x", t => t), ("vx", t => 1), ("y", t => t));

        var missing = Assert.Throws<ArgumentException>(() => BehaviorVelocity.AddVelocity(behavior, ["x_px"]));
        Assert.Contains("'x_px'", missing.Message);
        Assert.Contains("x, vx, y", missing.Message);
        var clash = Assert.Throws<ArgumentException>(() => BehaviorVelocity.AddVelocity(behavior, ["x"]));
        Assert.Contains("'vx'", clash.Message);
        Assert.Contains("already", clash.Message);
        Assert.Contains("'y'", Assert.Throws<ArgumentException>(() => BehaviorVelocity.AddVelocity(behavior, ["y", "y"])).Message);
        Assert.Throws<ArgumentException>(() => BehaviorVelocity.AddVelocity(behavior, []));
        Assert.Equal(nameof(VelocityOptions.SmoothingSeconds), Assert.Throws<ArgumentOutOfRangeException>(() =>
            BehaviorVelocity.AddVelocity(behavior, ["y"], new VelocityOptions { SmoothingSeconds = -0.1 })).ParamName);
        Assert.Equal(nameof(VelocityOptions.SmoothingSeconds), Assert.Throws<ArgumentOutOfRangeException>(() =>
            BehaviorVelocity.AddVelocity(behavior, ["y"], new VelocityOptions { SmoothingSeconds = double.PositiveInfinity })).ParamName);
        Assert.Equal(nameof(VelocityOptions.Prefix), Assert.Throws<ArgumentException>(() =>
            BehaviorVelocity.AddVelocity(behavior, ["y"], new VelocityOptions { Prefix = "" })).ParamName);
    }

    [Fact]
    public void Smoothing_cost_grows_with_the_samples_not_their_square()
    {
        // 2 M samples at 60 Hz with σ = 0.1 s: 49 kernel samples each, ~1e8 weights. Quadratic work would be 4e12.
        var times = Enumerable.Range(0, 2_000_000).Select(i => i / 60.0).ToArray();
        var x = times.Select(t => (float)Math.Sin(t)).ToArray();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var smoothed = BehaviorVelocity.Smooth(times, x, 0.1);
        watch.Stop();
        Assert.Equal(times.Length, smoothed.Length);
        Assert.True(watch.Elapsed.TotalSeconds < 20, $"{watch.Elapsed.TotalSeconds:F1} s");
    }

    // ---------- recordings ----------

    [Fact]
    public void WithBehavior_replaces_only_the_behaviour()
    {
        var original = new RecordingBuilder("s1", "rat");
        original.AddSpikes(original.AddUnit(new UnitInfo("u0")), [0.5, 1.5]);
        original.AddInterval(new Interval(0, 1, "trial"));
        original.SetBehavior(Sampled(0, 0.5, 4, ("x", t => (float)t)));
        original.SetDomain(0, 2);
        var recording = original.Build();

        var replaced = recording.WithBehavior(BehaviorVelocity.AddVelocity(recording.Behavior!, ["x"]));
        Assert.Equal(new[] { "x", "vx" }, replaced.Behavior!.ChannelNames);
        Assert.Equal(("s1", "rat", 0.0, 2.0), (replaced.SessionId, replaced.SubjectId, replaced.StartSeconds, replaced.EndSeconds));
        Assert.Same(recording.Units, replaced.Units);
        Assert.Same(recording.Spikes, replaced.Spikes);
        Assert.Same(recording.Intervals, replaced.Intervals);
        Assert.Null(recording.WithBehavior(null).Behavior);

        var outside = Assert.Throws<ArgumentException>(() => recording.WithBehavior(Sampled(1, 1, 2, ("x", t => 0f))));
        Assert.Contains("'s1'", outside.Message);
    }
}
