using System.Diagnostics;
using System.Globalization;
using MLNeuro.Estimators;
using MLNeuro.Loaders;
using MLNeuro.Transforms;
using static TorchSharp.torch;

namespace MLNeuro.Experiments;

/// <summary>
/// The behaviour-decoding baselines on a dataset: trains the Wiener filter and the MLP decoder on the first
/// <c>--train-fraction</c> of every session (optionally clipped at <c>--until</c> seconds) (the last <c>--validation</c> of that part held out to choose the ridge
/// strength and the MLP's steps) and prints <see cref="DecodingEvaluator"/>'s R² per channel on the rest, with training times.
/// </summary>
/// <example><code>
/// dotnet run -c Release --project Examples/MLNeuro.Experiments -- decode-baselines --data /tmp/bl-synth --channels x,y,vx,vy
/// </code></example>
internal static class DecodeBaselines
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        var dataset = NeuralDataset.Open(ConsoleArgs.Option(args, "--data", "out/demo"));
        var channels = ConsoleArgs.Option(args, "--channels", "x,y,vx,vy").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var split = new DecodingSplitOptions
        {
            TrainFraction = double.Parse(ConsoleArgs.Option(args, "--train-fraction", "0.8"), C),
            ValidationFraction = double.Parse(ConsoleArgs.Option(args, "--validation", "0.1"), C),
        };
        int steps = int.Parse(ConsoleArgs.Option(args, "--steps", "2000"), C);
        int seed = int.Parse(ConsoleArgs.Option(args, "--seed", "0"), C);
        set_num_threads(int.Parse(ConsoleArgs.Option(args, "--threads", "1"), C));

        var clock = Stopwatch.StartNew();
        var recordings = dataset.Sessions.Select(s => dataset.ReadRecording(s.SessionId, RecordingParts.Spikes | RecordingParts.Behavior)).ToArray();
        // --until clips every session (e.g. the rat linear track, whose tracking is frozen at one position after 5382 s).
        if (ConsoleArgs.Option(args, "--until", "") is { Length: > 0 } until)
            recordings = recordings.Select(r => r.Slice(r.StartSeconds, double.Parse(until, C))).ToArray();
        var splits = recordings.Select(r => DecodingSplit.Of(r, split)).ToArray();
        Console.WriteLine($"{recordings.Length} sessions, {recordings.Sum(r => r.Units.Count)} units, read in {clock.Elapsed.TotalSeconds:F1} s; " +
                          $"train {split.TrainFraction:P0} (validation {split.ValidationFraction:P0} of it), evaluate the rest");
        var parts = recordings.Zip(splits, (r, s) => (r, s.Evaluation)).ToArray();
        foreach (var (recording, intervals) in parts)
        {
            var targets = BehaviorTargets.Read(recording, channels, intervals);
            int finite = targets.Values.Count(float.IsFinite);
            Console.WriteLine($"  {recording.SessionId}: {targets.Count} evaluation samples, {finite} finite values");
        }

        clock.Restart();
        var wiener = WienerFilterDecoder.Train(recordings, splits, channels, new WienerFilterOptions { Seed = seed });
        double wienerSeconds = clock.Elapsed.TotalSeconds;
        Report("Wiener filter (SDCA ridge)", wienerSeconds, DecodingEvaluator.Evaluate(wiener, parts));
        Console.WriteLine("  ridge per session: " + string.Join("; ", wiener.Sessions.Select(s => $"{s} {string.Join("/", wiener.RidgeStrengths(s).Select(r => r.ToString("G2", C)))}")));

        clock.Restart();
        var defaults = new MlpOptions().Training;
        var options = new MlpOptions { Training = defaults with { TotalSteps = steps, WarmupSteps = Math.Min(defaults.WarmupSteps, steps / 10), Seed = seed } };
        using var mlp = MlpDecoder.Train(recordings, splits, channels, options);
        double mlpSeconds = clock.Elapsed.TotalSeconds;
        Report($"MLP ({options.HiddenLayers}x{options.HiddenDim}, {steps} steps, kept step {mlp.ChosenStep})", mlpSeconds, DecodingEvaluator.Evaluate(mlp, parts));
        return 0;
    }

    private static void Report(string name, double seconds, DecodingEvaluation evaluation)
    {
        Console.WriteLine($"{name}: trained in {seconds:F1} s");
        Console.WriteLine($"  pooled R²  {Row(evaluation.Channels, evaluation.Pooled.R2)}   mean {evaluation.Pooled.MeanR2:F3}");
        foreach (var session in evaluation.Sessions)
            Console.WriteLine($"  {session.SessionId,-14} {Row(evaluation.Channels, session.R2)}   mean {session.MeanR2:F3}");
        Console.WriteLine($"  mean session R² {evaluation.MeanSessionR2:F3}");
    }

    private static string Row(IReadOnlyList<string> channels, IReadOnlyList<double> r2) =>
        string.Join("  ", channels.Select((c, k) => $"{c} {r2[k].ToString("F3", C)}"));
}
