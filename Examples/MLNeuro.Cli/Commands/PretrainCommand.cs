using System.CommandLine;
using MLNeuro.Cli.Output;
using MLNeuro.Estimators;
using MLNeuro.Loaders;

namespace MLNeuro.Cli.Commands;

/// <summary>
/// <c>mlneuro pretrain nuclr --data DIR --out MODEL.zip</c>: self-supervised NuCLR pretraining into a model artifact.
/// Length is given in optimizer steps (<c>--steps</c>, each a batch of <c>--batch</c> samples); <c>--epochs E</c> is
/// accepted instead and means ceil(E x sessions / batch) steps (one "epoch" draws as many samples as there are
/// sessions). A checkpoint is kept at MODEL.zip.checkpoint (every 100 steps and on Ctrl-C); <c>--resume</c> continues it.
/// </summary>
internal static class PretrainCommand
{
    public static Command Create(CliIo io) =>
        new("pretrain", "Pretrain a neuron encoder self-supervised on a dataset.") { Nuclr(io) };

    private static Command Nuclr(CliIo io)
    {
        var data = new Option<string>("--data") { Description = "Dataset folder.", Required = true };
        var output = new Option<string>("--out") { Description = "Model artifact to write (zip; written atomically).", Required = true };
        var model = new NuclrModelArguments();
        var steps = new Option<int?>("--steps") { Description = "Optimizer steps (default 500)." };
        var epochs = new Option<double?>("--epochs") { Description = "Instead of --steps: steps = ceil(epochs x sessions / batch)." };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate (AdamW, warmup then cosine).", DefaultValueFactory = _ => 1e-3 }.AtLeast(0.0, exclusive: true);
        var exclude = new Option<string?>("--exclude-subjects") { Description = "Comma-separated subject ids left out of pretraining (zero-shot evaluation)." };
        var seed = new Option<int>("--seed") { Description = "Seed of initialisation and batches.", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads (0 = libtorch's default).", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var resume = new Option<bool>("--resume") { Description = "Continue from MODEL.zip.checkpoint (left by Ctrl-C or a killed run)." };
        var command = new Command("nuclr", "Pretrain a NuCLR encoder (population-context transformer, contrastive or non-contrastive) and write a model artifact.")
        {
            data, output, steps, epochs, lr, exclude, seed, threads, resume,
        };
        model.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            if (parse.GetValue(steps) is not null && parse.GetValue(epochs) is not null)
                throw new ArgumentException("give --steps or --epochs, not both");
            var dataset = NeuralDataset.Open(parse.GetRequiredValue(data));
            var excluded = CommonOptions.List(parse.GetValue(exclude));
            var unknown = excluded.Except(dataset.Sessions.Select(s => s.SubjectId)).ToArray();
            if (unknown.Length > 0) throw new ArgumentException($"--exclude-subjects: no subject {string.Join(", ", unknown)} in the dataset");

            int batchSize = parse.GetValue(model.Batch);
            var options = model.Build(parse, dataset);
            int sessions = dataset.Sessions.Count(s => !excluded.Contains(s.SubjectId));
            int totalSteps = parse.GetValue(epochs) is { } e
                ? Math.Max(1, (int)Math.Ceiling(e * sessions / batchSize))
                : parse.GetValue(steps) ?? 500;
            if (totalSteps < 1) throw new ArgumentException($"--steps must be at least 1 (got {totalSteps})");

            var target = parse.GetRequiredValue(output);
            var checkpoint = target + ".checkpoint";
            var training = new TrainingOptions
            {
                TotalSteps = totalSteps,
                WarmupSteps = Math.Min(100, totalSteps / 10),
                LearningRate = parse.GetValue(lr),
                Seed = parse.GetValue(seed),
                CheckpointPath = checkpoint,
                CheckpointEverySteps = Math.Min(100, totalSteps),
            };
            bool resuming = parse.GetValue(resume);
            if (resuming && !File.Exists(checkpoint)) io.Error.WriteLine($"no checkpoint at {checkpoint}; starting from step 0");

            TorchRuntime.EnsureAvailable();
            if (parse.GetValue(threads) is > 0 and var n) TorchSharp.torch.set_num_threads(n);

            ModelArtifact? artifact = null;
            TrainingProgress? last = null;
            try
            {
                TrainingDisplay.Run(io, "pretrain nuclr", progress =>
                {
                    var tracking = new ProgressTracking(progress, p => last = p);
                    artifact = NuclrPretrainer.Pretrain(dataset, options, training, tracking, cancellationToken, excluded, resuming);
                });
            }
            catch (OperationCanceledException)
            {
                io.Error.WriteLine($"mlneuro: cancelled at step {last?.Step ?? 0}/{totalSteps}; checkpoint at {checkpoint}; rerun with --resume to continue");
                return Task.FromResult(1);
            }
            artifact!.Write(target);
            File.Delete(checkpoint); // the artifact is complete; the checkpoint only served to resume
            io.Error.WriteLine($"wrote {target}: {totalSteps} steps, final loss {last?.Loss:F4}, {last?.StepsPerSecond:F1} steps/s");
            return Task.FromResult(0);
        });
        return command;
    }

}
