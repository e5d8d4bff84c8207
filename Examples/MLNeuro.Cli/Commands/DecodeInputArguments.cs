using System.CommandLine;
using MLNeuro.Loaders;
using MLNeuro.Transforms;

namespace MLNeuro.Cli.Commands;

/// <summary>
/// Input preparation the decode commands share, applied to each session after reading it and before any decoder
/// sees it (so train, eval and adapt must be given the same flags): <c>--time-range START:END</c> keeps only that part
/// of every session (seconds; e.g. the part of a recording where the animal runs and is tracked), <c>--clean-camera WxH</c> marks tracking dropouts as
/// missing (<see cref="TrackingCleaning.CameraFrame"/>: samples on the frame border or frozen for 30 s or more), then
/// <c>--derive velocity</c> adds "v" + name for each position channel a target asks for (a target "vx_px" is derived from
/// "x_px"), by <see cref="BehaviorVelocity"/>: the slope of a Gaussian-weighted local parabola (sd <c>--smoothing-ms</c>,
/// default 100 ms), NaN across gaps.
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

    /// <summary>The recordings cut to the time range, with their behaviour cleaned and the targets' velocity channels derived, as asked.</summary>
    public Recording[] Apply(ParseResult parse, Recording[] recordings, IReadOnlyList<string> targets)
    {
        if (parse.GetValue(TimeRange) is { } range) recordings = recordings.Select(r => Cut(r, range)).ToArray();
        var cleaning = parse.GetValue(CleanCamera) is { } frame ? Camera(frame) : null;
        bool derive = parse.GetValue(Derive) == "velocity";
        var velocity = new VelocityOptions { SmoothingSeconds = parse.GetValue(SmoothingMs) / 1000 };
        if (cleaning is null && !derive) return recordings;
        return recordings.Select(r =>
        {
            var behavior = r.Behavior ?? throw new ArgumentException($"session '{r.SessionId}' has no behaviour");
            if (cleaning is not null) behavior = cleaning.Apply(behavior).Behavior;
            if (derive)
            {
                var positions = targets.Where(t => !behavior.ChannelNames.Contains(t) && t.StartsWith(velocity.Prefix, StringComparison.Ordinal))
                    .Select(t => t[velocity.Prefix.Length..]).ToArray();
                if (positions.Length > 0) behavior = BehaviorVelocity.AddVelocity(behavior, positions, velocity);
            }
            return r.WithBehavior(behavior);
        }).ToArray();
    }

    private static Recording Cut(Recording recording, string range)
    {
        var parts = range.Split(':');
        if (parts.Length != 2 || !double.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out double start)
            || !double.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out double end) || !(end > start))
            throw new ArgumentException($"--time-range: expected START:END seconds with END > START, e.g. 4397:5382 (got '{range}')");
        double from = Math.Max(start, recording.StartSeconds), to = Math.Min(end, recording.EndSeconds);
        if (!(to > from))
            throw new ArgumentException($"--time-range {range} does not overlap session '{recording.SessionId}' [{recording.StartSeconds}, {recording.EndSeconds}) s");
        return recording.Slice(from, to);
    }

    private static TrackingCleaning Camera(string frame)
    {
        var parts = frame.Split('x');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int w) || !int.TryParse(parts[1], out int h) || w <= 0 || h <= 0)
            throw new ArgumentException($"--clean-camera: expected WIDTHxHEIGHT in pixels, e.g. 640x480 (got '{frame}')");
        return TrackingCleaning.CameraFrame(w, h);
    }
}
