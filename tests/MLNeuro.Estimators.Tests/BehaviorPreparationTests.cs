using MLNeuro.Loaders;

namespace MLNeuro.Estimators.Tests;

public sealed class BehaviorPreparationTests
{
    // x_px moves at 20 px/s inside a 640x480 frame except one sample stuck on the border (a tracking dropout).
    private static Recording Tracked() => DecodingTestData.Recording("s", 0, 10, DecodingTestData.Sampled(0, 0.01, 1000,
        ("x_px", t => Math.Abs(t - 5.0) < 1e-9 ? 0f : (float)(100 + 20 * t)),
        ("y_px", _ => 240f)));

    [Fact]
    public void Cuts_cleans_then_derives_the_targets_velocity()
    {
        var prepared = BehaviorPreparation.Apply([Tracked()], ["x_px", "vx_px"], new BehaviorPreparationOptions
        {
            TimeRange = (2, 8), Cleaning = TrackingCleaning.CameraFrame(640, 480), DeriveVelocity = true,
        }).Single();

        Assert.Equal(2, prepared.StartSeconds);
        Assert.Equal(8, prepared.EndSeconds);
        var behavior = prepared.Behavior!;
        Assert.Contains("vx_px", behavior.ChannelNames);
        Assert.DoesNotContain("vy_px", behavior.ChannelNames); // only the targets' velocities are derived
        var t = behavior.Timestamps.ToArray();
        var x = behavior.Channel("x_px").ToArray();
        var vx = behavior.Channel("vx_px").ToArray();
        int border = Array.FindIndex(t, v => Math.Abs(v - 5.0) < 1e-9);
        Assert.True(float.IsNaN(x[border]));                  // the border sample became missing before differentiating
        int mid = Array.FindIndex(t, v => Math.Abs(v - 3.5) < 1e-9);
        Assert.Equal(20.0, vx[mid], 1);                       // px/s, away from the gap and the cut's edges
    }

    [Fact]
    public void Nothing_asked_returns_the_recordings_unchanged()
    {
        var recording = Tracked();
        Assert.Same(recording, BehaviorPreparation.Apply([recording], ["x_px"], new BehaviorPreparationOptions()).Single());
    }

    [Fact]
    public void A_time_range_outside_a_session_names_it()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            BehaviorPreparation.Apply([Tracked()], ["x_px"], new BehaviorPreparationOptions { TimeRange = (20, 30) }));
        Assert.Contains("does not overlap session 's'", e.Message);
        Assert.Throws<ArgumentException>(() => new BehaviorPreparationOptions { TimeRange = (5, 5) }.Validate());
    }
}
