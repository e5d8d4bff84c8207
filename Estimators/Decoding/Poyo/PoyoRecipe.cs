using MLNeuro.Loaders;
using MLNeuro.Transforms;

namespace MLNeuro.Estimators;

/// <summary>A training recipe: the decoding options (model, unit dropout) and the optimisation settings to train with.</summary>
/// <param name="Decoding">The caller's decoding options with the recipe's changes applied.</param>
/// <param name="Training">The optimizer, schedule and seed.</param>
public sealed record PoyoTrainingPlan(PoyoDecodingOptions Decoding, TrainingOptions Training);

/// <summary>
/// POYO's training recipes as presets, so that the CLI and library callers share one definition:
/// <see cref="Reference"/> is what torch_brain's POYO example trains with, <see cref="Cpu"/> what learned best on
/// this project's two-core CPU budget (docs/poyo.md, 'Recipes'; measured in docs/results/poyo.md).
/// </summary>
/// <example><code>
/// var plan = PoyoRecipe.Reference(new PoyoDecodingOptions { Model = PoyoModelOptions.Tiny, Channels = ["vx", "vy"] }, totalSteps: 1500, seed: 0);
/// using var decoder = PoyoTrainer.Train(recordings, plan.Decoding, plan.Training);
/// </code></example>
public static class PoyoRecipe
{
    /// <summary>The reference's learning rate per window of the batch (defaults.yaml <c>optim.base_lr</c>; linear scaling rule).</summary>
    public const double ReferenceLearningRatePerWindow = 3.125e-5;

    /// <summary>The reference's weight decay (defaults.yaml <c>optim.weight_decay</c>).</summary>
    public const double ReferenceWeightDecay = 1e-4;

    /// <summary>Share of training at the peak learning rate before the cosine (defaults.yaml <c>optim.lr_decay_start</c>).</summary>
    public const double ReferencePeakHoldFraction = 0.5;

    /// <summary>Where OneCycleLR's cosine ends, as a fraction of the peak (1 / its default final_div_factor 1e4).</summary>
    public const double ReferenceFinalLearningRateFraction = 1e-4;

    /// <summary>
    /// torch_brain's POYO recipe (examples/poyo: defaults.yaml, utils.py, train_poyo_1.yaml, poyo_1.3M.yaml):
    /// LAMB at 3.125e-5 x batch, no warmup, the peak held for the first half then cosine to 1e-4 of it (OneCycleLR, with
    /// its beta1 cycling), no gradient clipping, weight decay 1e-4; the model's dropouts 0.2 (attention), 0.2 (FFN),
    /// 0.4 (latent residual branches), 2 cross-attention heads; triangular unit dropout (30 / 100 / 300). The batch
    /// size stays the caller's (the reference's is 128; the rate scales with it).
    /// </summary>
    /// <param name="decoding">The caller's options (channels, split, configuration, batch).</param>
    /// <param name="totalSteps">Optimizer steps (see <see cref="StepsForEpochs"/>).</param>
    /// <param name="seed">Seed of initialisation, batches and dropout.</param>
    public static PoyoTrainingPlan Reference(PoyoDecodingOptions decoding, int totalSteps, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(decoding);
        var model = decoding.Model with
        {
            CrossHeads = PoyoModelOptions.Poyo1_3M.CrossHeads,
            AttentionDropout = PoyoModelOptions.Poyo1_3M.AttentionDropout,
            FeedForwardDropout = PoyoModelOptions.Poyo1_3M.FeedForwardDropout,
            ResidualDropout = PoyoModelOptions.Poyo1_3M.ResidualDropout,
        };
        return new PoyoTrainingPlan(
            decoding with { Model = model, UnitDropout = PoyoUnitDropout.Reference, UnitDropoutMinKeep = 1 },
            new TrainingOptions
            {
                Optimizer = TrainingOptimizer.Lamb,
                LearningRate = ReferenceLearningRatePerWindow * decoding.BatchSize,
                WarmupSteps = 0,
                PeakHoldFraction = ReferencePeakHoldFraction,
                FinalLearningRateFraction = ReferenceFinalLearningRateFraction,
                CycleBeta1 = true,
                ClipNorm = 0,
                WeightDecay = ReferenceWeightDecay,
                TotalSteps = totalSteps,
                Seed = seed,
            });
    }

    /// <summary>
    /// The recipe that learned best within a two-core CPU budget (a few thousand steps of the tiny model; see
    /// docs/results/poyo.md): AdamW at 2e-3, linear warmup over the first 10% (at most 200 steps), cosine to zero,
    /// gradient clipping at 1, weight decay 1e-4 on matrices, no model dropout and no triangular unit dropout (with it,
    /// validation R² was 0.04-0.05 lower between 32,000 and 56,000 windows in both seeds measured; a uniform
    /// <see cref="PoyoDecodingOptions.UnitDropoutMinKeep"/> below 1 is kept).
    /// </summary>
    /// <inheritdoc cref="Reference" path="/param"/>
    public static PoyoTrainingPlan Cpu(PoyoDecodingOptions decoding, int totalSteps, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(decoding);
        return new PoyoTrainingPlan(
            decoding with { UnitDropout = null },
            new TrainingOptions
            {
                Optimizer = TrainingOptimizer.AdamW,
                LearningRate = 2e-3,
                WarmupSteps = Math.Min(200, totalSteps / 10),
                ClipNorm = 1.0,
                WeightDecay = ReferenceWeightDecay,
                TotalSteps = totalSteps,
                Seed = seed,
            });
    }

    /// <summary>
    /// Steps for <paramref name="epochs"/> passes over the training windows: an epoch is every non-overlapping window
    /// that fits in the training parts (the reference's RandomFixedWindowSampler length), divided by the batch size
    /// (rounded up; at least 1 step).
    /// </summary>
    public static int StepsForEpochs(IReadOnlyList<Recording> recordings, PoyoDecodingOptions options, double epochs)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        ArgumentNullException.ThrowIfNull(options);
        if (!(epochs > 0 && double.IsFinite(epochs))) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "must be positive");
        return Math.Max(1, (int)Math.Ceiling(epochs * WindowsPerEpoch(recordings, options) / options.BatchSize));
    }

    /// <summary>Non-overlapping windows that fit in the recordings' training parts: the size of one epoch.</summary>
    public static double WindowsPerEpoch(IReadOnlyList<Recording> recordings, PoyoDecodingOptions options) =>
        recordings.Sum(r => DecodingSplit.Of(r, options.Split).Train.Sum(i => Math.Floor(i.DurationSeconds / options.WindowSeconds)));
}
