using System.Diagnostics;
using System.Globalization;
using MLNeuro.Estimators;
using MLNeuro.Loaders;
using Microsoft.ML.OnnxRuntime;
using MLNeuro.Transforms;
using static TorchSharp.torch;

namespace MLNeuro.Benchmarks;

/// <summary>
/// POYO throughput, dense vs Mixture-of-Depths at equal depth: spike tokens per second for a training step (batch
/// building, forward, backward, AdamW) and for inference (stitched evaluation windows), wall time per step, and the
/// self-attention stack's forward FLOPs per window from the architecture (the part routing acts on).
/// </summary>
/// <example><code>
/// dotnet run -c Release --project tests/MLNeuro.Benchmarks -- poyo-throughput --data out/demo --config 1.3M --batch 16 --steps 20 --threads 1
/// </code></example>
internal static class PoyoThroughput
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        var dataset = NeuralDataset.Open(ConsoleArgs.Option(args, "--data", "out/demo"));
        var config = PoyoModelOptions.Named(ConsoleArgs.Option(args, "--config", "1.3M"));
        int batchSize = int.Parse(ConsoleArgs.Option(args, "--batch", "16"), C);
        int steps = int.Parse(ConsoleArgs.Option(args, "--steps", "20"), C);
        double capacity = double.Parse(ConsoleArgs.Option(args, "--capacity", "0.125"), C);
        set_num_threads(int.Parse(ConsoleArgs.Option(args, "--threads", "1"), C));
        var recordings = dataset.Sessions.Select(s => dataset.ReadRecording(s.SessionId, RecordingParts.Spikes | RecordingParts.Behavior)).ToArray();
        Console.WriteLine($"{recordings.Length} sessions, {recordings.Sum(r => r.Units.Count)} units; batch {batchSize}, {steps} timed steps after 3 warm-up, {get_num_threads()} thread(s)");
        Console.WriteLine("model       params  ms/step  tokens/window  train tok/s  infer tok/s  infer win/s  ONNX win/s  stack GFLOP/window");
        foreach (var (name, model) in new[] { ("dense", config), ($"MoD {capacity:P1}", config with { RoutingCapacity = capacity }) })
        {
            var options = new PoyoDecodingOptions { Model = model, Channels = ["vx", "vy"], BatchSize = batchSize };
            var (msPerStep, trainTokens, parameters) = TimeTraining(recordings, options, steps);
            double tokensPerWindow = trainTokens * msPerStep / 1000 / batchSize;
            var (inferTokens, inferWindows, onnxWindows) = TimeInference(recordings[0], options);
            Console.WriteLine($"{name,-10} {parameters,7:N0} {msPerStep,8:F1} {tokensPerWindow,14:F0} {trainTokens,12:N0} {inferTokens,12:N0} {inferWindows,12:F1} {onnxWindows.ToString("F1", C),11} {StackGflop(model, options.WindowSeconds),19:F4}");
        }
        return 0;
    }

    private static (double MsPerStep, double TokensPerSecond, long Parameters) TimeTraining(Recording[] recordings, PoyoDecodingOptions options, int steps)
    {
        using var decoder = PoyoTrainer.Train(recordings, options, new TrainingOptions { TotalSteps = 1, WarmupSteps = 0, Seed = 1 });
        var model = decoder.Model;
        var splits = recordings.Select(r => DecodingSplit.Of(r, options.Split)).ToArray();
        var parts = recordings.Select((r, i) => (new PoyoSession(r, i, PoyoSession.RowsOf(r, decoder.Units), decoder.Normalization, options.Channels), splits[i].Train)).ToArray();
        var sampler = new PoyoWindowSampler(parts, options);
        var builder = new PoyoBatchBuilder(options);
        using var optimizer = TrainingLoop.CreateOptimizer(model, new TrainingOptions());
        model.train();
        long tokens = 0;
        var clock = new Stopwatch();
        for (int step = 0; step < steps + 3; step++)
        {
            if (step == 3) clock.Start();
            using var scope = NewDisposeScope();
            using var batch = builder.Build(sampler.Next(new Random(step)));
            optimizer.zero_grad();
            var loss = PoyoTrainer.WeightedMse(model.forward(batch), batch.Targets!, batch.TargetWeights!);
            if (model.RoutingPredictorLoss() is { } routing) loss = loss + routing;
            loss.backward();
            optimizer.step();
            if (step >= 3) tokens += batch.TokenPadding.logical_not().sum().item<long>();
        }
        double seconds = clock.Elapsed.TotalSeconds;
        return (1000 * seconds / steps, tokens / seconds, decoder.ParameterCount);
    }

    private static (double TokensPerSecond, double WindowsPerSecond, double OnnxWindowsPerSecond) TimeInference(Recording recording, PoyoDecodingOptions options)
    {
        using var decoder = PoyoTrainer.Train([recording], options, new TrainingOptions { TotalSteps = 1, WarmupSteps = 0, Seed = 1 });
        var interval = new Interval(recording.StartSeconds, Math.Min(recording.EndSeconds, recording.StartSeconds + 60), "bench");
        var targets = BehaviorTargets.Read(recording, options.Channels, [interval]);
        var destination = new float[targets.Values.Length];
        decoder.Predict(recording, interval, targets.Times, destination); // warm-up
        var clock = Stopwatch.StartNew();
        decoder.Predict(recording, interval, targets.Times, destination);
        double seconds = clock.Elapsed.TotalSeconds;
        var starts = decoder.WindowStarts(interval, recording);
        // Tokens the windows hold: every spike of each window plus a start and an end token per unit.
        long tokens = starts.Sum(s => (long)recording.Spikes.Slice(s, s + options.WindowSeconds).Count + 2L * recording.Units.Count);
        double onnx = OnnxWindowsPerSecond(decoder, recording, starts);
        return (tokens / seconds, starts.Count / seconds, onnx);
    }

    /// <summary>The artifact's ONNX graph in ONNX Runtime, one window per run (as ML.NET scores rows), same windows.</summary>
    private static double OnnxWindowsPerSecond(PoyoDecoder decoder, Recording recording, List<double> starts)
    {
        var onnx = decoder.ToArtifact(null, 1).OnnxModel!.Value.ToArray();
        using var sessionOptions = new SessionOptions { IntraOpNumThreads = get_num_threads() };
        using var session = new InferenceSession(onnx, sessionOptions);
        var builder = new PoyoBatchBuilder(decoder.Options);
        var poyoSession = new PoyoSession(recording, 0, PoyoSession.RowsOf(recording, decoder.Units), null, decoder.Options.Channels);
        // The rows ML.NET would score (PoyoWindowView builds them the same way).
        var inputs = starts.Select(start =>
            PoyoWindowView.WindowRow(builder, poyoSession, start, PoyoWindowView.QueryTimes(recording, start, decoder.Options.WindowSeconds, 50))).ToArray();
        void RunAll()
        {
            foreach (var row in inputs)
            {
                long n = row.UnitIndex.Length, q = row.QueryTimes.Length;
                using var values = new DisposableList(
                    OrtValue.CreateTensorValueFromMemory(row.UnitIndex, [1, n]), OrtValue.CreateTensorValueFromMemory(row.TokenType, [1, n]),
                    OrtValue.CreateTensorValueFromMemory(row.TokenValue, [1, n]), OrtValue.CreateTensorValueFromMemory(row.TokenTimes, [1, n]),
                    OrtValue.CreateTensorValueFromMemory(row.SessionIndex, [1, 1]), OrtValue.CreateTensorValueFromMemory(row.QueryTimes, [1, q]));
                using var runOptions = new RunOptions();
                using var outputs = session.Run(runOptions, PoyoWindowView.InputColumns.ToArray(), values.Items, session.OutputNames);
            }
        }
        RunAll(); // warm-up
        var clock = Stopwatch.StartNew();
        RunAll();
        return inputs.Length / clock.Elapsed.TotalSeconds;
    }

    private sealed class DisposableList(params OrtValue[] items) : IDisposable
    {
        public OrtValue[] Items { get; } = items;

        public void Dispose()
        {
            foreach (var item in Items) item.Dispose();
        }
    }

    /// <summary>Forward FLOPs (2 per multiply-add) of the latent self-attention stack for one window.</summary>
    internal static double StackGflop(PoyoModelOptions o, double windowSeconds)
    {
        int steps = Math.Max(1, (int)Math.Round(windowSeconds / o.LatentStepSeconds));
        long s = (long)steps * o.LatentCount;
        long inner = (long)o.SelfHeads * o.HeadDim, d = o.Dim, ffn = (long)o.FfnMult * d;
        double Block(long n) => 2.0 * n * d * 3 * inner + 2.0 * n * inner * d + 4.0 * n * n * inner + 2.0 * n * d * 2 * ffn + 2.0 * n * ffn * d;
        double total = 0;
        for (int i = 0; i < o.Depth; i++)
        {
            bool routed = o.RoutingCapacity > 0 && i % 2 == 1;
            long k = routed ? (long)Math.Max(1, Math.Ceiling(o.RoutingCapacity * s)) : s;
            total += Block(k) + (routed ? 2.0 * 2 * s * d : 0); // router and predictor
        }
        return total / 1e9;
    }
}
