using System.Diagnostics;
using MLNeuro.Loaders;
using MLNeuro.Transforms;

namespace MLNeuro.Estimators;

/// <summary>
/// NuCLR's evaluation protocol (docs/design.md, 'NuCLR') against the handcrafted-feature baseline: linear probes on
/// per-unit embeddings in the transductive setting (pretrain on every unit, split units at random) and the zero-shot
/// setting (for each held-out animal, pretrain without it and probe on it, trained on the others), a label-efficiency
/// curve (zero-shot, 1-100% of the training labels) and scaling with the number of pretraining animals.
/// </summary>
/// <remarks>
/// <para>Probes are <see cref="Probe"/>'s: standardised features, class-balanced logistic regression with a fixed L2
/// weight (nothing is tuned on held-out units), balanced accuracy pooled over folds. The baseline uses the same folds and
/// label subsamples: <see cref="LabelSubsample"/> draws from the training rows, which are the same units in both tables.</para>
/// <para>Cost: 1 + G pretraining runs for G groups, plus G(G - 2) with <see cref="NuclrEvaluationOptions.Scaling"/>;
/// each run embeds every unit of the dataset afterwards.</para>
/// </remarks>
/// <example><code>
/// var report = NuclrEvaluation.Run(NeuralDataset.Open("data/synth"), new NuclrEvaluationOptions { Label = "brain_region" });
/// Console.WriteLine(report.Score("nuclr", "zero-shot")!.Metrics.BalancedAccuracy);
/// </code></example>
public static class NuclrEvaluation
{
    /// <summary>Method name of the NuCLR rows.</summary>
    public const string Nuclr = "nuclr";

    /// <summary>Method name of the handcrafted-feature rows.</summary>
    public const string Features = "features";

    /// <summary>Setting name: units split at random, the encoder pretrained on all of them.</summary>
    public const string Transductive = "transductive";

    /// <summary>Setting name: leave one group out, the encoder pretrained without it.</summary>
    public const string ZeroShot = "zero-shot";

    private const string NeuronKey = "neuron_key";

    /// <summary>Runs the protocol; see the class remarks for its cost.</summary>
    /// <exception cref="ArgumentException">An option is invalid, the label column is unknown, or the dataset has
    /// fewer than 2 groups.</exception>
    public static NuclrEvaluationReport Run(NeuralDataset dataset, NuclrEvaluationOptions options,
        IProgress<NuclrEvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        TorchRuntime.EnsureAvailable();

        var groupOfSession = dataset.Sessions.ToDictionary(s => s.SessionId, s => options.Group == "session_id" ? s.SessionId : s.SubjectId);
        var groups = groupOfSession.Values.Distinct().Order(StringComparer.Ordinal).ToArray();
        if (groups.Length < 2)
            throw new ArgumentException($"zero-shot evaluation needs at least 2 values of '{options.Group}' in the dataset (found {groups.Length})", nameof(dataset));

        int total = 1 + groups.Length + (options.Scaling ? groups.Length * Math.Max(0, groups.Length - 2) : 0);
        var runner = new PretrainingRunner(dataset, options, groupOfSession, total, progress, cancellationToken);

        progress?.Report(new NuclrEvaluationProgress("handcrafted features", 0, total, null));
        var features = NeuronFeatureTable.FromDataset(dataset, options.Features, ct: cancellationToken);
        // Fail before hours of pretraining when the label cannot be probed (unknown column, a single class, ...).
        Probe.Run(features, ProbeOptionsFor(options, options.Group, 1.0, options.Seed) with { TestGroups = new[] { groups[0] } }, cancellationToken: cancellationToken);
        var scores = new List<EvaluationScore>();

        // Transductive: one encoder pretrained on everything; units split at random into folds of whole neurons.
        var all = runner.PretrainAndEmbed(Transductive, heldOut: null, trainedOn: groups);
        var neuronFolds = ProbeOptionsFor(options, NeuronKey, 1.0, options.Seed) with { Folds = options.TransductiveFolds };
        scores.Add(Pooled(Nuclr, Transductive, Probe.Run(WithNeuronKey(all), neuronFolds, cancellationToken: cancellationToken)));
        scores.Add(Pooled(Features, Transductive, Probe.Run(WithNeuronKey(features), neuronFolds, cancellationToken: cancellationToken)));

        // Zero-shot: for each held-out group, an encoder that never saw it.
        var perGroup = groups.Select(g => runner.PretrainAndEmbed(ZeroShot, g, groups.Where(o => o != g).ToArray())).ToArray();
        scores.Add(HeldOut(Nuclr, groups, perGroup, options, 1.0, options.Seed, cancellationToken));
        scores.Add(Pooled(Features, ZeroShot, Probe.Run(features, ProbeOptionsFor(options, options.Group, 1.0, options.Seed), cancellationToken: cancellationToken)));

        progress?.Report(new NuclrEvaluationProgress("label efficiency", runner.Done, total, null));
        var efficiency = new List<LabelEfficiencyPoint>();
        foreach (var fraction in options.LabelFractions.Distinct().Order())
        {
            int seeds = fraction < 1 ? options.LabelSeeds : 1;
            var nuclr = new double[seeds];
            var baseline = new double[seeds];
            for (int s = 0; s < seeds; s++)
            {
                int seed = options.Seed + s;
                nuclr[s] = HeldOut(Nuclr, groups, perGroup, options, fraction, seed, cancellationToken).Metrics.BalancedAccuracy;
                baseline[s] = Probe.Run(features, ProbeOptionsFor(options, options.Group, fraction, seed), cancellationToken: cancellationToken).Pooled.BalancedAccuracy;
            }
            efficiency.Add(Point(Nuclr, fraction, nuclr));
            efficiency.Add(Point(Features, fraction, baseline));
        }

        var scaling = new List<ScalingPoint>();
        if (options.Scaling)
        {
            for (int k = 1; k < groups.Length - 1; k++)
            {
                var tables = new FeatureTable[groups.Length];
                for (int g = 0; g < groups.Length; g++)
                    tables[g] = runner.PretrainAndEmbed("scaling", groups[g], Subset(groups, g, k, options.Seed));
                var score = HeldOut(Nuclr, groups, tables, options, 1.0, options.Seed, cancellationToken);
                scaling.Add(new ScalingPoint(k, score.Metrics.BalancedAccuracy, score.FoldBalancedAccuracies));
            }
            var full = scores.Single(s => s.Method == Nuclr && s.Setting == ZeroShot);
            scaling.Add(new ScalingPoint(groups.Length - 1, full.Metrics.BalancedAccuracy, full.FoldBalancedAccuracies));
        }
        progress?.Report(new NuclrEvaluationProgress("done", runner.Done, total, null));

        return new NuclrEvaluationReport(options, Path.GetFullPath(dataset.Path), groups, scores, efficiency, scaling,
            runner.Runs, all, features);
    }

    private static ProbeOptions ProbeOptionsFor(NuclrEvaluationOptions options, string group, double fraction, int seed) =>
        new() { Label = options.Label, ExcludeLabels = options.ExcludeLabels, Group = group, LabelFraction = fraction, Seed = seed };

    private static EvaluationScore Pooled(string method, string setting, ProbeResult result) =>
        new(method, setting, result.Pooled, result.Folds.Select(f => f.Metrics.BalancedAccuracy).ToArray());

    /// <summary>
    /// Zero-shot probing with one table per held-out group: fold g is fitted on the other groups' units of table g and
    /// tested on group g's units of table g; the held-out predictions are pooled.
    /// </summary>
    private static EvaluationScore HeldOut(string method, string[] groups, FeatureTable[] tables, NuclrEvaluationOptions options,
        double fraction, int seed, CancellationToken ct)
    {
        IReadOnlyList<string>? classes = null;
        long[,]? pooled = null;
        var perFold = new double[groups.Length];
        for (int g = 0; g < groups.Length; g++)
        {
            var result = Probe.Run(tables[g], ProbeOptionsFor(options, options.Group, fraction, seed) with { TestGroups = new[] { groups[g] } }, cancellationToken: ct);
            classes ??= result.Classes;
            if (!classes.SequenceEqual(result.Classes))
                throw new InvalidOperationException("the embedding tables of the folds disagree on the label classes");
            pooled ??= new long[classes.Count, classes.Count];
            var fold = result.Folds.Single();
            var confusion = fold.Metrics.ConfusionMatrix();
            for (int t = 0; t < classes.Count; t++)
                for (int p = 0; p < classes.Count; p++)
                    pooled[t, p] += confusion[t, p];
            perFold[g] = fold.Metrics.BalancedAccuracy;
        }
        return new EvaluationScore(method, ZeroShot, ProbeMetrics.FromConfusion(classes!, pooled!), perFold);
    }

    private static LabelEfficiencyPoint Point(string method, double fraction, double[] values)
    {
        double mean = values.Average();
        double sd = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : 0;
        return new LabelEfficiencyPoint(method, fraction, mean, sd, values.Length);
    }

    /// <summary>k of the groups other than <paramref name="heldOut"/>, a seeded draw that depends on the held-out index.</summary>
    private static string[] Subset(string[] groups, int heldOut, int k, int seed)
    {
        var others = groups.Where((_, i) => i != heldOut).ToArray();
        new Random(unchecked(seed * 7919 + heldOut)).Shuffle(others);
        return others.Take(k).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The table with a column naming each neuron uniquely (session/unit), for splitting by neuron.</summary>
    private static FeatureTable WithNeuronKey(FeatureTable table)
    {
        var sessions = table.Column("session_id");
        var units = table.Column("unit_id");
        var key = Enumerable.Range(0, table.RowCount).Select(r => (string?)$"{sessions[r]}/{units[r]}").ToArray();
        var columns = table.LabelColumns
            .Select(name => KeyValuePair.Create(name, table.Column(name).ToArray()))
            .Append(KeyValuePair.Create(NeuronKey, key));
        return new FeatureTable(columns, table.Features.ToArray(), table.FeatureNames, table.Source);
    }

    /// <summary>Pretrains on chosen groups, embeds every unit, and records the run.</summary>
    private sealed class PretrainingRunner(
        NeuralDataset dataset, NuclrEvaluationOptions options, IReadOnlyDictionary<string, string> groupOfSession, int total,
        IProgress<NuclrEvaluationProgress>? progress, CancellationToken ct)
    {
        private readonly List<PretrainingRun> _runs = new();

        public IReadOnlyList<PretrainingRun> Runs => _runs;

        public int Done => _runs.Count;

        public FeatureTable PretrainAndEmbed(string purpose, string? heldOut, IReadOnlyList<string> trainedOn)
        {
            var chosen = new HashSet<string>(trainedOn, StringComparer.Ordinal);
            var sessions = dataset.Sessions.Where(s => chosen.Contains(groupOfSession[s.SessionId])).ToArray();
            string stage = heldOut is null
                ? $"pretraining {Done + 1}/{total} ({purpose}, all {options.Group} values)"
                : $"pretraining {Done + 1}/{total} ({purpose}, {trainedOn.Count} {options.Group} value{(trainedOn.Count > 1 ? "s" : "")}, without {heldOut})";
            double lastLoss = double.NaN;
            var training = new Progress(p =>
            {
                lastLoss = p.Loss;
                progress?.Report(new NuclrEvaluationProgress(stage, Done, total, p));
            });
            var watch = Stopwatch.StartNew();
            var artifact = NuclrPretrainer.Pretrain(dataset, sessions, options.Model, options.Training with { CheckpointPath = null, CheckpointEverySteps = 0 }, training, ct);
            var table = NuclrEmbedder.Embed(artifact, dataset, ct: ct);
            _runs.Add(new PretrainingRun(purpose, heldOut, trainedOn.ToArray(), lastLoss, watch.Elapsed.TotalSeconds));
            return table;
        }

        /// <summary>Synchronous progress (the loop reports on its own thread; no synchronisation context is involved).</summary>
        private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
        {
            public void Report(TrainingProgress value) => report(value);
        }
    }
}
