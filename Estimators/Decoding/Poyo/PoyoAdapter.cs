using MLNeuro.Loaders;
using MLNeuro.Transforms;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// Brings a pretrained POYO decoder to new sessions (POYO's "unit identification", then optional fine-tuning): the new
/// sessions' units and the sessions themselves get fresh embedding rows; stage 1 trains only those rows with the trunk
/// frozen, stage 2 (fine-tune mode) trains everything. The schedule is <see cref="PoyoAdaptationOptions"/>.
/// </summary>
/// <remarks>
/// Why the old rows stay exactly as trained in stage 1: batches come from the new sessions only, so the old rows get
/// zero gradient; AdamW's moments for them stay zero, so their update is zero; and embeddings carry no weight decay.
/// The behaviour normalisation is the pretrained model's (its readout was trained against it).
/// </remarks>
/// <example><code>
/// using var adapted = PoyoAdapter.Adapt(ModelArtifact.Read("poyo.zip"), newRecordings, new PoyoAdaptationOptions { Mode = PoyoAdaptationMode.FineTune });
/// adapted.ToArtifact("new-data", 0).Write("poyo-adapted.zip");
/// </code></example>
public static class PoyoAdapter
{
    /// <summary>Adapts <paramref name="pretrained"/> to <paramref name="recordings"/> (sessions the model does not know).</summary>
    /// <param name="pretrained">A POYO artifact.</param>
    /// <param name="recordings">New sessions, with the model's behaviour channels.</param>
    /// <param name="options">Mode and schedule.</param>
    /// <param name="progress">Reports of each stage's steps (step counts restart at stage 2).</param>
    /// <param name="cancellationToken">Cancels between steps.</param>
    /// <param name="resume">Continue the stage whose checkpoint is at <see cref="PoyoAdaptationOptions.CheckpointPath"/>.</param>
    public static PoyoDecoder Adapt(ModelArtifact pretrained, IReadOnlyList<Recording> recordings, PoyoAdaptationOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default, bool resume = false)
    {
        ArgumentNullException.ThrowIfNull(pretrained);
        ArgumentNullException.ThrowIfNull(recordings);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (recordings.Count == 0) throw new ArgumentException("no session to adapt to", nameof(recordings));
        var loaded = PoyoDecoder.FromArtifact(pretrained);
        var decodingOptions = loaded.Options with
        {
            Split = options.Split ?? loaded.Options.Split,
            BatchSize = options.BatchSize ?? loaded.Options.BatchSize,
        };
        var decoder = new PoyoDecoder(loaded.Model, decodingOptions, loaded.Units, loaded.Sessions, loaded.Normalization);
        try
        {
            AddSessions(decoder, recordings, options.Seed);
            var splits = recordings.Select(r => DecodingSplit.Of(r, decodingOptions.Split)).ToArray();
            string? stage1Checkpoint = options.CheckpointPath is null ? null : options.CheckpointPath + ".unit-id";
            bool stage1Done = resume && options.CheckpointPath is not null && File.Exists(options.CheckpointPath + ".finetune");
            if (!stage1Done)
            {
                decoder.Model.FreezeTrunk(true);
                PoyoTrainer.Fit(decoder, recordings, splits, Stage(options.UnitIdentificationSteps, options.UnitIdentificationLearningRate, options.Seed, stage1Checkpoint),
                    progress, cancellationToken, resume);
            }
            if (options.Mode == PoyoAdaptationMode.FineTune)
            {
                decoder.Model.FreezeTrunk(false);
                string? stage2Checkpoint = options.CheckpointPath is null ? null : options.CheckpointPath + ".finetune";
                PoyoTrainer.Fit(decoder, recordings, splits, Stage(options.FineTuneSteps, options.FineTuneLearningRate, options.Seed + 1, stage2Checkpoint),
                    progress, cancellationToken, resume);
            }
            decoder.Model.FreezeTrunk(false);
            return decoder;
        }
        catch
        {
            decoder.Dispose();
            throw;
        }
    }

    /// <summary>Appends the recordings' sessions and units to the vocabularies and draws their embedding rows.</summary>
    internal static void AddSessions(PoyoDecoder decoder, IReadOnlyList<Recording> recordings, long seed)
    {
        foreach (var recording in recordings)
            if (decoder.Sessions.Contains(recording.SessionId))
                throw new ArgumentException($"the model already knows session '{recording.SessionId}': adaptation is for new sessions", nameof(recordings));
        decoder.AddVocabulary(recordings, seed);
    }

    private static TrainingOptions Stage(int steps, double learningRate, long seed, string? checkpoint) => new()
    {
        TotalSteps = steps,
        WarmupSteps = steps / 10,
        LearningRate = learningRate,
        WeightDecay = 1e-4,
        Seed = seed,
        CheckpointPath = checkpoint,
        CheckpointEverySteps = checkpoint is null ? 0 : Math.Min(200, steps),
    };
}
