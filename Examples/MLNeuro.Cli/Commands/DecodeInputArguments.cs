using System.CommandLine;
using MLNeuro.Estimators;
using MLNeuro.Loaders;
using MLNeuro.Transforms;

namespace MLNeuro.Cli.Commands;

/// <summary>
/// The flags of <see cref="BehaviorPreparation"/> that the decode commands share (train, eval and adapt must be given the
/// same): <c>--time-range START:END</c> keeps only that part of every session (seconds; e.g. where the animal runs and is
/// tracked), <c>--clean-camera WxH</c> marks tracking dropouts as missing (<see cref="TrackingCleaning.CameraFrame"/>:
/// samples on the frame border or frozen for 30 s or more), then <c>--derive velocity</c> adds "v" + name for each
/// position channel a target asks for, by <see cref="BehaviorVelocity"/> (sd <c>--smoothing-ms</c>, default 100 ms).
/// </summary>
internal sealed class DecodeInputArguments
{
    public Option<string?> Derive { get; } = new("--derive") { Description = "velocity: derive each target 'v<name>' from the position channel '<name>'." };

    public Option<double> SmoothingMs { get; } = new("--smoothing-ms") { Description = "Gaussian smoothing sd (ms) of position before differentiating (--derive velocity).", DefaultValueFactory = _ => BehaviorVelocity.DefaultSmoothingSeconds * 1000 };

    public Option<string?> CleanCamera { get; } = new("--clean-camera") { Description = "WxH of the tracking camera (e.g. 640x480): samples on the frame border or frozen >= 30 s become missing (channels x_px, y_px)." };

    public Option<string?> TimeRange { get; } = new("--time-range") { Description = "START:END seconds: keep only this part of every session (before splitting)." };

    public DecodeInputArguments()
    {
        Derive.AcceptOnlyFromAmong("velocity");
    }

    public void AddTo(Command command)
    {
        command.Options.Add(TimeRange);
        command.Options.Add(Derive);
        command.Options.Add(SmoothingMs);
        command.Options.Add(CleanCamera);
    }

    /// <summary>The recordings prepared as the flags ask (<see cref="BehaviorPreparation"/>), for decoders reading <paramref name="targets"/>.</summary>
    public Recording[] Apply(ParseResult parse, Recording[] recordings, IReadOnlyList<string> targets)
    {
        var options = new BehaviorPreparationOptions
        {
            TimeRange = parse.GetValue(TimeRange) is { } range ? Range(range) : null,
            Cleaning = parse.GetValue(CleanCamera) is { } frame ? Camera(frame) : null,
            DeriveVelocity = parse.GetValue(Derive) == "velocity",
            Velocity = new VelocityOptions { SmoothingSeconds = parse.GetValue(SmoothingMs) / 1000 },
        };
        return BehaviorPreparation.Apply(recordings, targets, options);
    }

    private static (double, double) Range(string range)
    {
        var parts = range.Split(':');
        if (parts.Length != 2 || !double.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out double start)
            || !double.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out double end) || !(end > start))
            throw new ArgumentException($"--time-range: expected START:END seconds with END > START, e.g. 4397:5382 (got '{range}')");
        return (start, end);
    }

    private static TrackingCleaning Camera(string frame)
    {
        var parts = frame.Split('x');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int w) || !int.TryParse(parts[1], out int h) || w <= 0 || h <= 0)
            throw new ArgumentException($"--clean-camera: expected WIDTHxHEIGHT in pixels, e.g. 640x480 (got '{frame}')");
        return TrackingCleaning.CameraFrame(w, h);
    }
}
