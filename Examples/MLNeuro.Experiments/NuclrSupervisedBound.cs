using System.Globalization;
using MLNeuro.Estimators;
using MLNeuro.Loaders;
using static TorchSharp.torch;

namespace MLNeuro.Experiments;

/// <summary>
/// A diagnostic, not a method: how much of a label the NuCLR encoder's input can carry at all. The encoder plus a linear
/// head is trained with cross-entropy on the label of every unit of the training subjects (one view per sample, no
/// unit dropout), then each held-out unit is classified by its head logits averaged over the evaluation windows.
/// If this supervised bound stays at chance, no self-supervised objective on the same input and window can do better
/// through a linear probe; docs/results/nuclr.md uses it to explain where NuCLR's region figure falls short.
/// </summary>
/// <example><code>
/// dotnet run -c Release --project Examples/MLNeuro.Experiments -- nuclr-supervised --data out/val --test-subject sub-04 \
///     --label brain_region --steps 1000 --patches 8 --bins 25 --bin-ms 20
/// </code></example>
internal static class NuclrSupervisedBound
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        var dataset = NeuralDataset.Open(ConsoleArgs.Option(args, "--data", "out/demo"));
        string label = ConsoleArgs.Option(args, "--label", "brain_region");
        string heldOut = ConsoleArgs.Option(args, "--test-subject", "sub-04");
        int steps = int.Parse(ConsoleArgs.Option(args, "--steps", "1000"), C);
        // The encoder and sampling this bound was measured with (docs/results/nuclr.md): MLNeuro's earlier block details
        // and every unit a token.
        var encoderOptions = NuclrEncoderOptions.Tiny.WithLegacyBlocks() with
        {
            PatchCount = int.Parse(ConsoleArgs.Option(args, "--patches", "4"), C),
            BinsPerPatch = int.Parse(ConsoleArgs.Option(args, "--bins", "10"), C),
            BinSeconds = double.Parse(ConsoleArgs.Option(args, "--bin-ms", "20"), C) / 1000,
        };
        set_num_threads(int.Parse(ConsoleArgs.Option(args, "--threads", "1"), C));

        var recordings = dataset.Sessions.Select(s => dataset.ReadRecording(s.SessionId, RecordingParts.Spikes)).ToArray();
        string? LabelOf(Recording r, int u) => label switch
        {
            "brain_region" => r.Units[u].BrainRegion,
            "cell_type" => r.Units[u].CellType,
            _ => r.Units[u].GetMetadata(label),
        };
        var classes = recordings.SelectMany(r => Enumerable.Range(0, r.Units.Count).Select(u => LabelOf(r, u)))
            .OfType<string>().Distinct().Order(StringComparer.Ordinal).ToArray();
        var train = recordings.Where(r => r.SubjectId != heldOut).ToArray();
        var test = recordings.Where(r => r.SubjectId == heldOut).ToArray();
        if (test.Length == 0 || train.Length == 0) throw new ArgumentException($"--test-subject {heldOut} must leave sessions on both sides");
        long[] Targets(Recording r) => Enumerable.Range(0, r.Units.Count).Select(u => LabelOf(r, u) is { } l ? (long)Array.IndexOf(classes, l) : -100L).ToArray();
        var targets = train.Select(Targets).ToArray();

        var sampling = new NuclrSamplingOptions
        {
            WindowSeconds = encoderOptions.WindowSeconds, PatchCount = encoderOptions.PatchCount, BinSeconds = encoderOptions.BinSeconds,
            MaxOffsetSeconds = 10, BatchSize = 8, MinKeepFraction = 1,
            ActiveUnitsOnly = false, WeightSessionsByWindows = false, PopulationColumn = null,
        };
        var sampler = new NuclrBatchSampler(train, sampling);
        using var encoder = new NuclrEncoder(encoderOptions, new Generator(0));
        using var head = nn.Linear(encoderOptions.Dim, classes.Length);
        using var optimizer = optim.AdamW(encoder.parameters().Concat(head.parameters()), 1e-3);
        var random = new Random(0);
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            using var batch = sampler.Next(random);
            var counts = batch.Counts.select(1, 0);
            var mask = batch.UnitMask.select(1, 0);
            var rows = batch.SessionIndex.data<long>().ToArray();
            int units = (int)counts.shape[1];
            var y = new long[rows.Length * units];
            for (int b = 0; b < rows.Length; b++)
                for (int u = 0; u < units; u++)
                    y[b * units + u] = u < targets[rows[b]].Length ? targets[rows[b]][u] : -100;
            var target = tensor(y, new long[] { rows.Length, units }).masked_fill(mask.logical_not(), -100);
            var logits = head.forward(encoder.forward(counts, mask));
            var loss = nn.functional.cross_entropy(logits.reshape(-1, classes.Length), target.reshape(-1), ignore_index: -100);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            if (step % 100 == 0 || step == steps - 1) Console.WriteLine($"step {step} loss {loss.item<float>():F4} (chance {Math.Log(classes.Length):F4})");
        }
        encoder.eval();
        Console.WriteLine($"{label}, encoder {encoderOptions.PatchCount} patches x {encoderOptions.BinsPerPatch} bins of {encoderOptions.BinSeconds * 1000} ms, d {encoderOptions.Dim}, {steps} steps: "
            + $"balanced accuracy on the training subjects {BalancedAccuracy(train):F3}, on {heldOut} {BalancedAccuracy(test):F3} (chance {1.0 / classes.Length:F3})");
        return 0;

        double BalancedAccuracy(Recording[] set)
        {
            var correct = new double[classes.Length];
            var total = new double[classes.Length];
            var windows = new NuclrBatchSampler(set, sampling);
            foreach (var r in set)
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var sum = zeros(r.Units.Count, classes.Length);
                var all = ones(new long[] { 1, r.Units.Count }, ScalarType.Bool);
                foreach (var (_, counts) in windows.EvaluationWindows(r))
                    sum.add_(head.forward(encoder.forward(counts, all))[0]);
                var predicted = sum.argmax(1).data<long>().ToArray();
                var truth = Targets(r);
                for (int u = 0; u < r.Units.Count; u++)
                {
                    if (truth[u] < 0) continue;
                    total[truth[u]]++;
                    if (predicted[u] == truth[u]) correct[truth[u]]++;
                }
            }
            return Enumerable.Range(0, classes.Length).Where(c => total[c] > 0).Average(c => correct[c] / total[c]);
        }
    }
}
