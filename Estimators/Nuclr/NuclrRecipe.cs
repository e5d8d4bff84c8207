using MLNeuro.Loaders;

namespace MLNeuro.Estimators;

/// <summary>What a <see cref="NuclrRecipe"/> preset returns: the model options, the training options, and the epoch they were counted in.</summary>
/// <param name="Model">Encoder, sampling, objective and projector.</param>
/// <param name="Training">AdamW, warmup then cosine, clipping, length and seed.</param>
/// <param name="StepsPerEpoch">Optimizer steps of one epoch: every window of every population of the sessions trained on
/// once, in batches of <see cref="NuclrSamplingOptions.BatchSize"/> (an incomplete last batch dropped, as the reference does).</param>
public sealed record NuclrRecipeSettings(NuclrModelOptions Model, TrainingOptions Training, int StepsPerEpoch);

/// <summary>
/// NuCLR pretraining presets (docs/nuclr.md, 'Recipes'). <see cref="Reference"/> is the reference recipe
/// (nerdslab/nuclr: configs/train_ephys.yaml, model nuclr_v2ga_bin, loss sw_dcl): d 256, 10 s windows of 10 x 50 bins of
/// 20 ms, second view within 30 s, batch 128, dropout 0.2, raw counts, projector 256 -> 256 -> 256, the reference
/// contrastive loss at tau 0.2, AdamW at 5e-4 with weight decay 0.01, one epoch of linear warmup then cosine decay,
/// gradient clip 1, 300 epochs. <see cref="Cpu"/> keeps every reference behaviour but shrinks the model and the windows
/// to what two CPU cores train in minutes (the tiny encoder: d 32, 0.8 s windows of 4 x 10 bins; views within 10 s;
/// batch 8) and counts length in steps.
/// </summary>
/// <remarks>
/// An epoch is every window of every population once (the reference's sampler visits each 10 s window of each probe
/// once per epoch); MLNeuro draws samples with replacement, weighted the same way
/// (<see cref="NuclrSamplingOptions.WeightSessionsByWindows"/>), so an epoch here is a number of steps, not a visit of
/// every window. Not reproduced: bf16, the reference clipping the encoder and the projector separately (MLNeuro clips
/// them together), and its dropping of samples with 10 or fewer active units in a view.
/// </remarks>
/// <example><code>
/// var dataset = NeuralDataset.Open("data/synth");
/// var recipe = NuclrRecipe.Cpu(dataset, steps: 1000, seed: 0);
/// var artifact = NuclrPretrainer.Pretrain(dataset, recipe.Model, recipe.Training);
/// </code></example>
public static class NuclrRecipe
{
    /// <summary>The reference recipe at the paper's size; length in epochs (default the reference's 300).</summary>
    /// <param name="dataset">The sessions to be trained on (their windows and populations define an epoch).</param>
    /// <param name="epochs">Training length in epochs (may be fractional; at least one step).</param>
    /// <param name="excludeSubjects">Subjects left out of pretraining (their sessions do not count towards an epoch).</param>
    /// <param name="seed">Training seed.</param>
    public static NuclrRecipeSettings Reference(NeuralDataset dataset, double epochs = 300, IReadOnlyCollection<string>? excludeSubjects = null, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!(epochs > 0) || double.IsInfinity(epochs)) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "must be positive and finite");
        var model = new NuclrModelOptions
        {
            Encoder = new NuclrEncoderOptions(),
            Sampling = new NuclrSamplingOptions { WindowSeconds = 10, PatchCount = 10, BinSeconds = 0.02, MaxOffsetSeconds = 30, BatchSize = 128 },
            Objective = new ObjectiveOptions(),
            ProjectorDim = 256,
        };
        int perEpoch = StepsPerEpoch(dataset, model, excludeSubjects);
        return Settings(model, perEpoch, Math.Max(1, (int)Math.Ceiling(epochs * perEpoch)), seed);
    }

    /// <summary>The reference behaviours at CPU size (the tiny encoder); length in optimizer steps (default 1,000).</summary>
    /// <param name="dataset">The sessions to be trained on (their windows and populations define an epoch).</param>
    /// <param name="steps">Optimizer steps (at least 1); warmup is one epoch or the whole run, whichever is shorter.</param>
    /// <param name="excludeSubjects">Subjects left out of pretraining (their sessions do not count towards an epoch).</param>
    /// <param name="seed">Training seed.</param>
    public static NuclrRecipeSettings Cpu(NeuralDataset dataset, int steps = 1000, IReadOnlyCollection<string>? excludeSubjects = null, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        var encoder = NuclrEncoderOptions.Tiny;
        var model = new NuclrModelOptions
        {
            Encoder = encoder,
            Sampling = new NuclrSamplingOptions
            {
                WindowSeconds = encoder.WindowSeconds,
                PatchCount = encoder.PatchCount,
                BinSeconds = encoder.BinSeconds,
                MaxOffsetSeconds = 10,
                BatchSize = 8,
            },
            Objective = new ObjectiveOptions(),
            // The reference's projector keeps the encoder's width throughout.
            ProjectorDim = encoder.Dim,
        };
        return Settings(model, StepsPerEpoch(dataset, model, excludeSubjects), steps, seed);
    }

    /// <summary>
    /// Steps of one epoch for <paramref name="model"/> on <paramref name="dataset"/>: windows of every population of
    /// every session not excluded, divided by the batch size (at least 1). Reads no spikes.
    /// </summary>
    public static int StepsPerEpoch(NeuralDataset dataset, NuclrModelOptions model, IReadOnlyCollection<string>? excludeSubjects = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(model);
        var sessions = NuclrPretrainer.SessionsExcluding(dataset, excludeSubjects);
        // Units, domain and intervals are all the window count needs.
        var recordings = sessions.Select(s => dataset.ReadRecording(s.SessionId, RecordingParts.None)).ToArray();
        var sampler = new NuclrBatchSampler(recordings, model.Sampling);
        return (int)Math.Clamp(sampler.WindowsPerEpoch() / model.Sampling.BatchSize, 1, int.MaxValue);
    }

    private static NuclrRecipeSettings Settings(NuclrModelOptions model, int stepsPerEpoch, int totalSteps, long seed) =>
        new(model, new TrainingOptions
        {
            LearningRate = 5e-4,
            WeightDecay = 0.01,
            WarmupSteps = Math.Min(stepsPerEpoch, totalSteps),
            TotalSteps = totalSteps,
            ClipNorm = 1.0,
            Seed = seed,
        }, stepsPerEpoch);
}
