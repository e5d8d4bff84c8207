using System.CommandLine;
using MLNeuro.Cli.Output;
using MLNeuro.Estimators;
using MLNeuro.Loaders;
using MLNeuro.Transforms;

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
        new("pretrain", "Pretrain a model self-supervised on a dataset.") { Nuclr(io), PoyoSsl(io) };

    /// <summary>
    /// <c>mlneuro pretrain poyo-ssl</c>: POYO-SSL masked-latent pretraining on the predictable neurons of each session's
    /// training part; fine-tune with <c>decode train --init MODEL.zip --units-not-in MODEL.zip</c>.
    /// </summary>
    private static Command PoyoSsl(CliIo io)
    {
        var data = CommonOptions.Data();
        var output = CommonOptions.Output("Model artifact to write (zip; written atomically).");
        var target = new Option<string>("--target") { Description = "Behaviour channels the fine-tuned decoder will read out (fixes the readout; used by --supervised-weight).", Required = true };
        var config = new Option<string>("--config") { Description = "POYO configuration: tiny, 1.3M or 11.8M.", DefaultValueFactory = _ => "tiny" };
        config.AcceptOnlyFromAmong("tiny", "1.3M", "11.8M");
        var predictableOnly = new Option<bool>("--predictable-only") { Description = "Pretrain on the predictable neurons only (skewness <= 3.51, kurtosis <= 22.62 of 20 ms counts on training time).", DefaultValueFactory = _ => true };
        var maskRatio = new Option<double>("--mask-ratio") { Description = "Share of latent tokens masked.", DefaultValueFactory = _ => 0.5 };
        var supervised = new Option<double?>("--supervised-weight") { Description = "Weight of the behaviour MSE term through the decoder (default 0.01, the reference's; 0 = purely self-supervised)." };
        // reference is the default because it measured better on validation data: fine-tuned on the unpredictable units,
        // R² 0.124 (3 seeds) against 0.006 for stop-gradient and 0.090 from scratch (docs/results/poyo.md).
        var objective = new Option<string>("--objective") { Description = "reference (POYO-CAP: zeroed mask, MSE to the un-detached un-masked branch) or stop-gradient (learned mask, L1 to the layer-normalised stop-gradient target, variance term).", DefaultValueFactory = _ => "reference" };
        objective.AcceptOnlyFromAmong("stop-gradient", "reference");
        var trainFraction = new Option<double>("--train-fraction") { Description = "Share of each session's time, from its start, that trains.", DefaultValueFactory = _ => 0.8 };
        var validationFraction = new Option<double>("--validation-fraction") { Description = "Share of the training part, from its end, held out for validation.", DefaultValueFactory = _ => 0.1 };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps.", DefaultValueFactory = _ => 2000 }.AtLeast(1);
        var batch = new Option<int>("--batch") { Description = "Windows per step.", DefaultValueFactory = _ => 32 }.AtLeast(1);
        var lr = new Option<double>("--lr") { Description = "Peak learning rate.", DefaultValueFactory = _ => 2e-3 }.AtLeast(0.0, exclusive: true);
        var seed = CommonOptions.Seed("Seed of initialisation, masks and batches.");
        var threads = CommonOptions.TorchThreads();
        var resume = CommonOptions.Resume("Continue from MODEL.zip.checkpoint.");
        var curvePath = CommonOptions.LearningCurve();
        var command = new Command("poyo-ssl", "POYO-SSL: masked-latent pretraining of POYO on the predictable neurons.")
        {
            data, output, target, config, predictableOnly, maskRatio, supervised, objective, trainFraction, validationFraction, steps, batch, lr, seed, threads, resume,
            curvePath,
        };
        command.Guard([data], [(output, OutputKind.File), (curvePath, OutputKind.FilesInto)]);
        command.SetAction((parse, cancellationToken) =>
        {
            var dataset = NeuralDataset.Open(parse.GetRequiredValue(data));
            var recordings = dataset.Sessions.Select(s => dataset.ReadRecording(s.SessionId)).ToArray();
            var options = new PoyoDecodingOptions
            {
                Model = PoyoModelOptions.Named(parse.GetRequiredValue(config)),
                Channels = CommonOptions.List(parse.GetRequiredValue(target)),
                Split = new DecodingSplitOptions { TrainFraction = parse.GetValue(trainFraction), ValidationFraction = parse.GetValue(validationFraction) },
                BatchSize = parse.GetValue(batch),
            };
            var baseSsl = parse.GetRequiredValue(objective) == "reference" ? PoyoSslOptions.Reference : new PoyoSslOptions();
            var ssl = baseSsl with
            {
                PredictableOnly = parse.GetValue(predictableOnly),
                MaskRatio = parse.GetValue(maskRatio),
                SupervisedWeight = parse.GetValue(supervised) ?? baseSsl.SupervisedWeight,
            };
            var targetPath = parse.GetRequiredValue(output);
            int totalSteps = parse.GetValue(steps);
            var training = DecodeCommand.PoyoSchedule(totalSteps, parse.GetValue(lr), parse.GetValue(seed), targetPath + ".checkpoint");
            CommonOptions.StartTorch(parse, threads);
            PoyoSslResult? result = null;
            var curve = new LearningCurveOutput(parse.GetValue(curvePath), "validation R²");
            try
            {
                TrainingDisplay.Run(io, "pretrain poyo-ssl", progress =>
                    result = PoyoSslPretrainer.Pretrain(recordings, options, ssl, training, progress, cancellationToken, parse.GetValue(resume)), curve.Curve);
            }
            catch (OperationCanceledException)
            {
                CliErrors.Cancel(io.Error, $"cancelled; checkpoint at {training.CheckpointPath}; rerun with --resume to continue");
                return Task.FromResult(CliErrors.Cancelled);
            }
            using (result!.Decoder)
            {
                result.Decoder.ToArtifact(dataset.Path, training.Seed).Write(targetPath);
                File.Delete(training.CheckpointPath!);
                var selected = result.Selection is { } s ? $"{s.PredictableCount} predictable of {s.Units.Count} units" : "every unit";
                io.Error.WriteLine($"wrote {targetPath}: POYO-SSL {parse.GetRequiredValue(config)} on {selected}, {totalSteps} steps");
            }
            curve.Write(io);
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command Nuclr(CliIo io)
    {
        var data = CommonOptions.Data();
        var output = CommonOptions.Output("Model artifact to write (zip; written atomically).");
        var model = new NuclrModelArguments();
        var steps = new Option<int?>("--steps") { Description = "Optimizer steps (default: 1000 with --recipe cpu, 300 epochs with --recipe reference)." };
        var epochs = new Option<double?>("--epochs") { Description = "Instead of --steps: epochs, each every window of every population once (ceil(windows / batch) steps)." };
        var lr = new Option<double?>("--lr") { Description = "Override the recipe's peak learning rate (5e-4; AdamW, one epoch of warmup, then cosine)." };
        lr.AtLeastWhenSet(0.0, exclusive: true);
        var exclude = new Option<string?>("--exclude-subjects") { Description = "Comma-separated subject ids left out of pretraining (zero-shot evaluation)." };
        var seed = CommonOptions.Seed("Seed of initialisation and batches.");
        var threads = CommonOptions.TorchThreads();
        var resume = CommonOptions.Resume();
        var curvePath = CommonOptions.LearningCurve();
        var command = new Command("nuclr", "Pretrain a NuCLR encoder (population-context transformer, contrastive or non-contrastive) and write a model artifact.")
        {
            data, output, steps, epochs, lr, exclude, seed, threads, resume, curvePath,
        };
        model.AddTo(command);
        command.Guard([data], [(output, OutputKind.File), (curvePath, OutputKind.FilesInto)]);
        command.SetAction((parse, cancellationToken) =>
        {
            if (parse.GetValue(steps) is not null && parse.GetValue(epochs) is not null)
                throw new ArgumentException("give --steps or --epochs, not both");
            var dataset = NeuralDataset.Open(parse.GetRequiredValue(data));
            var excluded = CommonOptions.List(parse.GetValue(exclude));
            var unknown = excluded.Except(dataset.Sessions.Select(s => s.SubjectId)).ToArray();
            if (unknown.Length > 0) throw new ArgumentException($"--exclude-subjects: no subject {string.Join(", ", unknown)} in the dataset");

            // --recipe reference without a length means its 300 epochs; cpu means 1000 steps.
            double? epochCount = parse.GetValue(epochs) ?? (parse.GetValue(steps) is null && parse.GetValue(model.Recipe) == "reference" ? 300 : null);
            if (model.IntervalAdvice(parse, dataset) is { } advice) io.Error.WriteLine(advice);
            if (model.SizingNote(parse, dataset) is { } sizing) io.Error.WriteLine(sizing);
            var recipe = model.Build(parse, dataset, parse.GetValue(steps), epochCount, defaultSteps: 1000, parse.GetValue(lr), parse.GetValue(seed), excluded);
            var options = recipe.Model;
            int totalSteps = recipe.Training.TotalSteps;

            var target = parse.GetRequiredValue(output);
            var checkpoint = target + ".checkpoint";
            var training = recipe.Training with
            {
                CheckpointPath = checkpoint,
                CheckpointEverySteps = Math.Min(100, totalSteps),
            };
            bool resuming = parse.GetValue(resume);
            if (resuming && !File.Exists(checkpoint)) io.Error.WriteLine($"no checkpoint at {checkpoint}; starting from step 0");

            CommonOptions.StartTorch(parse, threads);

            ModelArtifact? artifact = null;
            // NuCLR pretraining has no labels to validate on: the curve is the contrastive loss.
            var curve = new LearningCurveOutput(parse.GetValue(curvePath), "validation score");
            TrainingProgress? last = null;
            try
            {
                TrainingDisplay.Run(io, "pretrain nuclr", progress =>
                {
                    var tracking = new ProgressTracking(progress, p => last = p);
                    artifact = NuclrPretrainer.Pretrain(dataset, options, training, tracking, cancellationToken, excluded, resuming);
                }, curve.Curve);
            }
            catch (OperationCanceledException)
            {
                CliErrors.Cancel(io.Error, $"cancelled at step {last?.Step ?? 0}/{totalSteps}; checkpoint at {checkpoint}; rerun with --resume to continue");
                return Task.FromResult(CliErrors.Cancelled);
            }
            artifact!.Write(target);
            curve.Write(io);
            File.Delete(checkpoint); // the artifact is complete; the checkpoint only served to resume
            io.Error.WriteLine($"wrote {target}: {totalSteps} steps, final loss {last?.Loss:F4}, {last?.StepsPerSecond:F1} steps/s");
            return Task.FromResult(0);
        });
        return command;
    }

}
