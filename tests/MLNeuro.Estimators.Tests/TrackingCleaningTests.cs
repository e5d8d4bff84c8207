using System.Globalization;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Import;
using Xunit.Abstractions;

namespace MLNeuro.Estimators.Tests;

public sealed class TrackingCleaningTests(ITestOutputHelper output)
{
    private static BehaviorSeries Track(double[] times, float[] x, float[] y, float[]? speed = null) =>
        speed is null ? new BehaviorSeries(times, ["x_px", "y_px"], [x, y]) : new BehaviorSeries(times, ["x_px", "y_px", "speed"], [x, y, speed]);

    [Fact]
    public void The_camera_preset_marks_whole_samples_on_the_frame_border_or_outside_it()
    {
        double[] times = [0, 1, 2, 3, 4, 5, 6, 7, 8];
        //                  ok   y=479 (0,0) x=639 x=700 NaN  sub-px ok  y=0   x=1 (ok)
        float[] x = [100, 477, 0, 639, 700, float.NaN, 638.5f, 50, 1];
        float[] y = [200, 479, 0, 300, 300, 250, 0.5f, 0, 478];
        float[] speed = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var result = TrackingCleaning.CameraFrame(640, 480, frozenSeconds: null).Apply(Track(times, x, y, speed));

        var cx = result.Behavior.Channel("x_px").ToArray();
        var cy = result.Behavior.Channel("y_px").ToArray();
        int[] dropped = [1, 2, 3, 4, 7];
        for (int i = 0; i < times.Length; i++)
        {
            bool gone = dropped.Contains(i);
            Assert.Equal(gone || i == 5, float.IsNaN(cx[i]));
            Assert.Equal(gone, float.IsNaN(cy[i]));
        }
        Assert.Equal(speed, result.Behavior.Channel("speed").ToArray()); // other channels untouched
        Assert.Equal(5, result.InvalidSamples);
        Assert.Equal(5, result.SamplesMarked);
        // x was already NaN at sample 5: not counted, and y there is valid, so it stays.
        Assert.Equal(5, result.ValuesMarked["x_px"]);
        Assert.Equal(5, result.ValuesMarked["y_px"]);
        Assert.Equal(250, cy[5]);
        Assert.Equal(0, result.FrozenSamples);
        Assert.Equal(times, result.Behavior.Timestamps.ToArray());
    }

    [Fact]
    public void Without_whole_samples_only_the_invalid_channel_is_marked()
    {
        var rule = TrackingCleaning.CameraFrame(640, 480, frozenSeconds: null) with { MarkWholeSample = false };
        var result = rule.Apply(Track([0, 1, 2], [477, 0, 5], [479, 0, 6]));
        Assert.Equal(477, result.Behavior.Channel("x_px")[0]);
        Assert.True(float.IsNaN(result.Behavior.Channel("y_px")[0]));
        Assert.Equal(2, result.SamplesMarked);
        Assert.Equal(1, result.ValuesMarked["x_px"]);
        Assert.Equal(2, result.ValuesMarked["y_px"]);
    }

    [Fact]
    public void General_rules_take_ranges_and_sentinels_per_channel()
    {
        var behavior = new BehaviorSeries([0, 1, 2, 3, 4], ["speed", "angle"],
            [new float[] { -1, 5, 250, 10, float.PositiveInfinity }, new float[] { 0, 1, 2, 3, 4 }]);
        var rule = new TrackingCleaning { Channels = [new ChannelValidity("speed") { Min = 0, Max = 200, Sentinels = [-1f, 10f] }] };
        var result = rule.Apply(behavior);
        var speed = result.Behavior.Channel("speed").ToArray();
        Assert.Equal(new[] { true, false, true, true, true }, speed.Select(float.IsNaN));
        Assert.Equal(4, result.SamplesMarked);
        Assert.Equal(4, result.InvalidSamples);
        Assert.Equal(new float[] { 0, 1, 2, 3, 4 }, result.Behavior.Channel("angle").ToArray());
        Assert.True(new ChannelValidity("s") { Min = 0, Max = 1 }.IsValid(1));
        Assert.False(new ChannelValidity("s").IsValid(float.NaN));
    }

    [Fact]
    public void Frozen_runs_longer_than_the_limit_are_marked_and_shorter_ones_kept()
    {
        // 60 Hz: 0-10 s moving, 10-50 s frozen at (300, 200) (40 s), 50-60 s moving, 60-80 s frozen at (100, 100) (20 s).
        var times = Enumerable.Range(0, 80 * 60).Select(i => i / 60.0).ToArray();
        var x = new float[times.Length];
        var y = new float[times.Length];
        for (int i = 0; i < times.Length; i++)
        {
            double t = times[i];
            (x[i], y[i]) = t < 10 || t is >= 50 and < 60 ? (200 + i % 7, 150 + i % 5) : t < 50 ? (300f, 200f) : (100f, 100f);
        }
        var result = TrackingCleaning.CameraFrame(640, 480).Apply(Track(times, x, y));

        Assert.Equal(40 * 60, result.FrozenSamples);
        Assert.Equal(40 * 60, result.SamplesMarked);
        Assert.Equal(0, result.InvalidSamples);
        var cx = result.Behavior.Channel("x_px");
        Assert.True(float.IsNaN(cx[10 * 60]) && float.IsNaN(cx[50 * 60 - 1]));
        Assert.False(float.IsNaN(cx[10 * 60 - 1]) || float.IsNaN(cx[50 * 60]) || float.IsNaN(cx[70 * 60]));

        // One coordinate frozen is not frozen tracking (the animal runs along a wall).
        var oneAxis = TrackingCleaning.CameraFrame(640, 480).Apply(Track(times, times.Select(t => (float)(100 + t)).ToArray(), y));
        Assert.Equal(0, oneAxis.FrozenSamples);
        Assert.Equal(0, oneAxis.SamplesMarked);
    }

    [Fact]
    public void Errors_name_the_channel_or_setting()
    {
        var behavior = Track([0, 1], [1, 2], [1, 2]);
        var missing = Assert.Throws<ArgumentException>(() => TrackingCleaning.CameraFrame(640, 480, "x", "y").Apply(behavior));
        Assert.Contains("'x'", missing.Message);
        Assert.Contains("x_px, y_px", missing.Message);
        Assert.Contains("'x_px'", Assert.Throws<ArgumentException>(() =>
            new TrackingCleaning { Channels = [new ChannelValidity("x_px"), new ChannelValidity("x_px")] }.Apply(behavior)).Message);
        Assert.Contains("'y_px'", Assert.Throws<ArgumentException>(() =>
            new TrackingCleaning { Channels = [new ChannelValidity("y_px") { Min = 5, Max = 1 }] }.Apply(behavior)).Message);
        Assert.Equal(nameof(TrackingCleaning.Channels), Assert.Throws<ArgumentException>(() => new TrackingCleaning().Apply(behavior)).ParamName);
        Assert.Equal(nameof(TrackingCleaning.FrozenSeconds), Assert.Throws<ArgumentOutOfRangeException>(() =>
            TrackingCleaning.CameraFrame(640, 480, frozenSeconds: 0).Apply(behavior)).ParamName);
        Assert.Equal("widthPixels", Assert.Throws<ArgumentOutOfRangeException>(() => TrackingCleaning.CameraFrame(2, 480)).ParamName);
        Assert.Equal("heightPixels", Assert.Throws<ArgumentOutOfRangeException>(() => TrackingCleaning.CameraFrame(640, 0)).ParamName);
    }

    // ---------- real data ----------

    [Fact]
    public void Rat_tracking_dropouts_are_marked_and_velocity_is_plausible_on_the_excerpt()
    {
        // The first 180 s of the linear track (tests/data): a minute of tracking lost at the frame edge, then running.
        int border = CleanAndCheck(name => TestData.File("rat-hippocampus-nelpy-excerpt", name), "linear-track");
        Assert.Equal(1_550, border);
    }

    [SharedDataTheory("rat-hippocampus-nelpy")]
    [InlineData("linear-track")]
    [InlineData("w-maze")]
    public void Rat_tracking_dropouts_are_marked_and_velocity_is_plausible(string session) =>
        CleanAndCheck(name => SharedData.File("rat-hippocampus-nelpy", name), session);

    /// <summary>Cleans one session's position, checks it against an independent count of border samples and checks the
    /// velocity derived from it; returns the border count.</summary>
    private int CleanAndCheck(Func<string, string> file, string session)
    {
        var recording = Assert.Single(CsvImporter.Read(new CsvImportOptions
        {
            UnitsFile = file($"{session}_units.csv"),
            SpikesFile = file($"{session}_spikes.csv"),
            BehaviorFile = file($"{session}_position.csv"),
            SessionId = session,
        }));
        var behavior = recording.Behavior!;
        var result = TrackingCleaning.CameraFrame(640, 480).Apply(behavior);
        var edgeOnly = TrackingCleaning.CameraFrame(640, 480, frozenSeconds: null).Apply(behavior);

        // Independent count of border samples by plain string splitting of the CSV.
        var rows = File.ReadLines(file($"{session}_position.csv")).Skip(1)
            .Select(l => l.Split(',')).Select(p => (X: double.Parse(p[1], CultureInfo.InvariantCulture), Y: double.Parse(p[2], CultureInfo.InvariantCulture))).ToArray();
        int border = rows.Count(r => r.X is 0 or 639 || r.Y is 0 or 479);
        Assert.Equal(border, edgeOnly.InvalidSamples);
        Assert.Equal(border, edgeOnly.SamplesMarked);
        Assert.Equal(border, result.InvalidSamples);
        Assert.True(result.SamplesMarked >= border);

        var withVelocity = BehaviorVelocity.AddVelocity(result.Behavior, ["x_px", "y_px"]);
        var vx = withVelocity.Channel("vx_px").ToArray();
        var vy = withVelocity.Channel("vy_px").ToArray();
        var speed = vx.Zip(vy, (a, b) => Math.Sqrt((double)a * a + (double)b * b)).Where(double.IsFinite).Order().ToArray();
        double P(double q) => speed[(int)(q * (speed.Length - 1))];
        output.WriteLine($"{session}: {behavior.Count} samples over {behavior.Timestamps[^1] - behavior.Timestamps[0]:F0} s; " +
            $"border {border} ({100.0 * border / behavior.Count:F1}%), frozen >= 30 s {result.FrozenSamples}, marked in all {result.SamplesMarked} " +
            $"({100.0 * result.SamplesMarked / behavior.Count:F1}%)");
        output.WriteLine($"  vx_px [{vx.Where(float.IsFinite).Min():F0}, {vx.Where(float.IsFinite).Max():F0}] px/s, vy_px " +
            $"[{vy.Where(float.IsFinite).Min():F0}, {vy.Where(float.IsFinite).Max():F0}] px/s; speed median {P(0.5):F1}, p95 {P(0.95):F1}, " +
            $"p99 {P(0.99):F1}, max {speed[^1]:F1} px/s; NaN velocity {vx.Count(float.IsNaN)}");

        // Velocity is NaN wherever the cleaned position is (plus lone samples between dropouts), and a rat does not cross
        // the frame in 1/10 s.
        var cleanX = result.Behavior.Channel("x_px").ToArray();
        Assert.All(Enumerable.Range(0, cleanX.Length).Where(i => float.IsNaN(cleanX[i])), i => Assert.True(float.IsNaN(vx[i])));
        output.WriteLine($"  NaN position {cleanX.Count(float.IsNaN)}, NaN velocity {vx.Count(float.IsNaN)}");
        Assert.True(P(0.99) < 640 / 0.1, $"p99 speed {P(0.99)} px/s");
        return border;
    }
}
