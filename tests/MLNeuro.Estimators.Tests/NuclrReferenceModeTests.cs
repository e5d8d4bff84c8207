using MLNeuro.Loaders.Synthetic;
using MLNeuro.Loaders;
using MLNeuro.TestUtilities;
using Microsoft.ML;
using Xunit.Abstractions;
using static MLNeuro.Estimators.Tests.TorchTestHelpers;
using static TorchSharp.torch;

namespace MLNeuro.Estimators.Tests;

/// <summary>
/// The reference-mode pieces of NuCLR (docs/nuclr.md, 'Reference mode'): rotary on half the head dims, silent units
/// out of the tokens and the average, the training cap and populations in embedding, presets, and old artifacts.
/// </summary>
public sealed class NuclrReferenceModeTests
{
    private readonly ITestOutputHelper _log;

    public NuclrReferenceModeTests(ITestOutputHelper log) => _log = log;

    [Fact]
    public void Rotary_on_half_the_dims_matches_a_hand_computation()
    {
        UseOneThread();
        // Tiny: head dim 16, half of it (8 dims, 4 pairs) turns, periods log-spaced from 1 to 8 x 4 patches.
        using var encoder = new NuclrEncoder(NuclrEncoderOptions.Tiny, new Generator(1));
        var rotary = encoder.Rotary;
        Assert.Equal(8, rotary.RotaryDim);
        double[] periods = { 1, Math.Pow(32, 1.0 / 3), Math.Pow(32, 2.0 / 3), 32 };
        for (int i = 0; i < 4; i++) Assert.Equal(2 * Math.PI / periods[i], rotary.AngularFrequencies[i], 9);

        using var scope = NewDisposeScope();
        var x = arange(16, dtype: ScalarType.Float32).add(1).mul(0.1).view(1, 1, 1, 16);
        double position = 2.5;
        var rotated = Values(rotary.Rotate(x, tensor(new[] { (float)position }).view(1, 1)));
        var xs = Values(x);
        var expected = (float[])xs.Clone();
        for (int i = 0; i < 4; i++)
        {
            double a = position * 2 * Math.PI / periods[i];
            // Pair (i, i + 4) of the first 8 dims turns by a; dims 8..15 stay.
            expected[i] = (float)(xs[i] * Math.Cos(a) - xs[i + 4] * Math.Sin(a));
            expected[i + 4] = (float)(xs[i] * Math.Sin(a) + xs[i + 4] * Math.Cos(a));
        }
        for (int k = 0; k < 16; k++) Assert.Equal(expected[k], rotated[k], 5);
        Assert.Equal(xs.Skip(8), rotated.Skip(8));
    }

    [Fact]
    public void Silent_units_are_not_tokens_of_a_view()
    {
        var recording = Recording(units: 6, seconds: 20, silentUnit: 2);
        var sampler = new NuclrBatchSampler(new[] { recording }, Sampling() with { MinKeepFraction = 1, BatchSize = 4 });
        using var batch = sampler.Next(new Random(3));
        var counts = batch.Counts.sum(new long[] { 3, 4 });                 // [batch, views, units] spikes per view
        var mask = batch.UnitMask;
        var active = counts.gt(0);
        Assert.True(mask.eq(active).all().item<bool>(), "the view mask must be exactly the units that spike");
        Assert.False(mask.select(2, 2).any().item<bool>(), "the silent unit became a token");

        var legacy = new NuclrBatchSampler(new[] { recording }, Sampling() with { MinKeepFraction = 1, BatchSize = 4, ActiveUnitsOnly = false });
        using var all = legacy.Next(new Random(3));
        Assert.True(all.UnitMask.all().item<bool>(), "without ActiveUnitsOnly every kept unit is a token");
    }

    [Fact]
    public void Embedding_under_the_training_cap_is_seeded_and_averages_draws()
    {
        using var tmp = new TempFolder();
        var data = tmp.Combine("synth");
        SyntheticDataset.Write(new SyntheticOptions { Subjects = 1, SessionsPerSubject = 1, UnitsPerSession = 8, DurationSeconds = 8, Seed = 4 }, data);
        var dataset = NeuralDataset.Open(data);
        var options = NuclrTestArtifacts.TinyOptions with { Sampling = NuclrTestArtifacts.TinyOptions.Sampling with { MaxUnitsPerSample = 3, EmbeddingDraws = 3 } };
        var artifact = NuclrTestArtifacts.Untrained(seed: 5, options);
        var recording = dataset.ReadRecording(dataset.Sessions[0].SessionId, RecordingParts.Spikes);

        var passes = NuclrEmbedder.WindowInputs(options, recording).ToList();
        Assert.Equal(10 * 3, passes.Count); // 10 windows x 3 draws
        foreach (var pass in passes)
        {
            var sizes = pass.UnitGroup.Where(g => g >= 0).GroupBy(g => g).Select(g => g.Count()).ToArray();
            Assert.All(sizes, n => Assert.InRange(n, 1, 3));
            Assert.True(sizes.Max() - sizes.Min() <= 1, "groups of one split differ by more than one unit");
        }
        // The draws of a window differ, and a second enumeration gives the same draws (seeded, not the global RNG).
        Assert.Contains(Enumerable.Range(0, 10), w => !passes[3 * w].UnitGroup.SequenceEqual(passes[3 * w + 1].UnitGroup));
        var again = NuclrEmbedder.WindowInputs(options, recording).ToList();
        Assert.All(Enumerable.Range(0, passes.Count), i => Assert.Equal(passes[i].UnitGroup, again[i].UnitGroup));

        var first = NuclrEmbedder.Embed(artifact, dataset);
        var second = NuclrEmbedder.Embed(artifact, dataset);
        Assert.Equal(first.Features.ToArray(), second.Features.ToArray());
        // The mean over three draws is not one draw's: the draws are averaged.
        var oneDraw = NuclrTestArtifacts.Untrained(seed: 5, options with { Sampling = options.Sampling with { EmbeddingDraws = 1 } });
        var single = NuclrEmbedder.Embed(oneDraw, dataset);
        Assert.True(MaxAbsDiff(first.Features, single.Features) > 1e-4, "three draws gave the same embedding as one");
        // TorchSharp, embedding each group on its own, agrees with the graph's group masking.
        var torch = NuclrEmbedder.EmbedWithTorch(artifact, dataset);
        double max = MaxAbsDiff(first.Features, torch.Features);
        _log.WriteLine($"capped embedding: ONNX vs TorchSharp per group max |diff| {max:E2}");
        Assert.True(max <= 1e-4, $"ONNX and TorchSharp differ by {max}");
        // The ML.NET route reproduces it exactly.
        var ml = new Microsoft.ML.MLContext(seed: 0);
        var windows = dataset.AsNuclrWindowView(artifact);
        Assert.Equal(30, windows.GetRowCount());
        var table = windows.AverageEmbeddings(ml.Transforms.EmbedNeuronsWithNuclr(artifact).Fit(windows).Transform(windows));
        Assert.Equal(first.Features.ToArray(), table.Features.ToArray());
    }

    [Fact]
    public void Populations_never_share_a_context_and_without_a_cap_one_pass_suffices()
    {
        var recording = Recording(units: 6, seconds: 20, silentUnit: -1, populations: new[] { "a", "b", "a", "b", "a", null });
        var plan = new NuclrEmbeddingPlan(recording.SessionId, recording.Units, Sampling());
        Assert.Equal(1, plan.Draws);
        var sampler = new NuclrBatchSampler(new[] { recording }, Sampling());
        var counts = sampler.EvaluationWindowCounts(recording).First();
        var groups = plan.Groups(counts, 0, 0);
        Assert.Equal(groups[0], groups[2]);
        Assert.Equal(groups[2], groups[4]);
        Assert.Equal(groups[1], groups[3]);
        Assert.NotEqual(groups[0], groups[1]);
        Assert.NotEqual(groups[5], groups[0]);
        Assert.NotEqual(groups[5], groups[1]);

        // Training samples draw one population: a sample's units are all "a" (slots of 0, 2, 4) or all "b" or the unlabelled one.
        using var batch = new NuclrBatchSampler(new[] { recording }, Sampling() with { MinKeepFraction = 1, ActiveUnitsOnly = false, BatchSize = 16 }).Next(new Random(1));
        var perSample = batch.UnitMask.select(1, 0).to_type(ScalarType.Int32).sum(1);
        var sizes = Values(perSample.to_type(ScalarType.Float32)).Select(v => (int)v).Distinct().Order().ToArray();
        Assert.Subset(new HashSet<int> { 1, 2, 3 }, sizes.ToHashSet());
        Assert.Equal(3, batch.UnitMask.shape[2]); // padded to the largest population, not the recording
    }

    [Fact]
    public void Presets_carry_the_reference_values()
    {
        using var tmp = new TempFolder();
        var data = tmp.Combine("synth");
        SyntheticDataset.Write(new SyntheticOptions { Subjects = 2, SessionsPerSubject = 1, UnitsPerSession = 4, DurationSeconds = 40, Seed = 2 }, data);
        var dataset = NeuralDataset.Open(data);
        var reference = NuclrRecipe.Reference(dataset, epochs: 2);
        Assert.Equal((256, 4, 64, 10, 50), (reference.Model.Encoder.Dim, reference.Model.Encoder.Heads, reference.Model.Encoder.HeadDim,
            reference.Model.Encoder.PatchCount, reference.Model.Encoder.BinsPerPatch));
        Assert.Equal((0.2, NuclrInput.Counts, true, true, true, false), (reference.Model.Encoder.Dropout, reference.Model.Encoder.Input,
            reference.Model.Encoder.RotateHalf, reference.Model.Encoder.RotateValues, reference.Model.Encoder.QkvBias, reference.Model.Encoder.FinalNorm));
        Assert.Equal((10.0, 30.0, 128, 256), (reference.Model.Sampling.WindowSeconds, reference.Model.Sampling.MaxOffsetSeconds,
            reference.Model.Sampling.BatchSize, reference.Model.ProjectorDim));
        Assert.Equal((DclNegatives.Reference, 0.2), (reference.Model.Objective.Negatives, reference.Model.Objective.Temperature));
        Assert.Equal((5e-4, 0.01, 1.0), (reference.Training.LearningRate, reference.Training.WeightDecay, reference.Training.ClipNorm));
        // 2 sessions x 4 windows of 10 s = 8 windows < one batch of 128: an epoch is one step, warmup one epoch.
        Assert.Equal(1, reference.StepsPerEpoch);
        Assert.Equal((1, 2), (reference.Training.WarmupSteps, reference.Training.TotalSteps));

        var cpu = NuclrRecipe.Cpu(dataset, steps: 300, seed: 7);
        Assert.Equal((32, 4, 10, 8, 32), (cpu.Model.Encoder.Dim, cpu.Model.Encoder.PatchCount, cpu.Model.Encoder.BinsPerPatch,
            cpu.Model.Sampling.BatchSize, cpu.Model.ProjectorDim));
        // 2 sessions x 50 windows of 0.8 s = 100 windows / 8 = 12 steps per epoch (last partial batch dropped).
        Assert.Equal(12, cpu.StepsPerEpoch);
        Assert.Equal((12, 300, 7L, 5e-4), (cpu.Training.WarmupSteps, cpu.Training.TotalSteps, cpu.Training.Seed, cpu.Training.LearningRate));
        Assert.Equal(1, NuclrRecipe.StepsPerEpoch(dataset, cpu.Model, new[] { "sub-01" }) / 6); // one session: 50 / 8 = 6
    }

    [Fact]
    public void Old_artifact_options_read_back_with_the_behaviours_they_were_trained_with()
    {
        // Options JSON as written before the reference settings existed (no Input, Dropout, ..., Negatives keys).
        var json = System.Text.Json.JsonSerializer.Serialize(NuclrTestArtifacts.TinyOptions);
        var doc = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        foreach (var key in new[] { "Input", "Dropout", "RotateHalf", "RotateValues", "QkvBias", "FinalNorm" }) doc["Encoder"]!.AsObject().Remove(key);
        foreach (var key in new[] { "ActiveUnitsOnly", "EmbedWithTrainingCap", "PopulationColumn", "WeightSessionsByWindows", "EmbeddingDraws" }) doc["Sampling"]!.AsObject().Remove(key);
        doc["Objective"]!.AsObject().Remove("Negatives");
        var old = NuclrModelOptions.FromJson(doc.ToJsonString())!;
        Assert.Equal(NuclrTestArtifacts.TinyOptions.Encoder.WithLegacyBlocks(), old.Encoder);
        Assert.Equal((false, false, null, false), (old.Sampling.ActiveUnitsOnly, old.Sampling.EmbedWithTrainingCap, old.Sampling.PopulationColumn, old.Sampling.WeightSessionsByWindows));
        Assert.Equal(DclNegatives.SharedUnits, old.Objective.Negatives);
        // And today's JSON round-trips unchanged.
        Assert.Equal(NuclrTestArtifacts.TinyOptions, NuclrModelOptions.FromJson(json));
        Assert.Equal(NuclrLegacyOptions.Apply(NuclrTestArtifacts.TinyOptions, new[] { "all" }) with { ProjectorDim = 8 },
            old with { Sampling = old.Sampling with { EmbeddingDraws = NuclrTestArtifacts.TinyOptions.Sampling.EmbeddingDraws } });
    }

    private static NuclrSamplingOptions Sampling() => NuclrTestArtifacts.TinyOptions.Sampling;

    /// <summary>A recording whose units fire regularly at 4-12 Hz, one unit (<paramref name="silentUnit"/>) never.</summary>
    private static Recording Recording(int units, double seconds, int silentUnit, string?[]? populations = null)
    {
        var times = new List<double>();
        var ids = new List<int>();
        for (int u = 0; u < units; u++)
        {
            if (u == silentUnit) continue;
            double rate = 4 + u;
            for (double t = 0.013 * (u + 1); t < seconds; t += 1 / rate)
            {
                times.Add(t);
                ids.Add(u);
            }
        }
        var order = Enumerable.Range(0, times.Count).OrderBy(i => times[i]).ToArray();
        var spikes = SpikeTrain.FromSorted(order.Select(i => times[i]).ToArray(), order.Select(i => ids[i]).ToArray(), units);
        var table = new UnitTable(Enumerable.Range(0, units).Select(u => new UnitInfo($"u{u}", Metadata:
            populations?[u] is { } p ? new Dictionary<string, string?> { ["population"] = p } : null)));
        return new Recording("ses", "sub", table, spikes, 0, seconds);
    }

    private static double MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        double max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }
}
