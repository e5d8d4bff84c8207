using System.CommandLine;
using MLNeuro.Cli.Output;
using MLNeuro.Estimators;
using MLNeuro.Loaders;
using MLNeuro.Transforms;

namespace MLNeuro.Cli.Commands;

/// <summary><c>decode adapt</c>: a pretrained POYO decoder brought to new sessions.</summary>
internal static partial class DecodeCommand
{
    private static Command Adapt(CliIo io)
    {
        var modelPath = new Option<string>("--model") { Description = "Pretrained POYO artifact.", Required = true };
        var data = CommonOptions.Data("Dataset folder with the new sessions.");
        var output = CommonOptions.Output("Adapted model artifact to write (zip; written atomically).");
        var mode = new Option<string>("--mode") { Description = "unit-id: learn only the new units' and sessions' embeddings (trunk frozen); finetune: unit-id, then every parameter.", DefaultValueFactory = _ => "unit-id" };
        mode.AcceptOnlyFromAmong("unit-id", "finetune");
        var sessions = new Option<string?>("--sessions") { Description = "Comma-separated new sessions (default: every session of the dataset the model does not know)." };
        var trainFraction = new Option<double?>("--train-fraction") { Description = "Share of each new session's time that trains (default: the model's)." };
        var subset = new Option<double>("--train-subset") { Description = "Use only this share of the training part, from its start (little-data studies).", DefaultValueFactory = _ => 1.0 };
        var unitIdSteps = new Option<int>("--unit-id-steps") { Description = "Steps of stage 1 (embeddings only).", DefaultValueFactory = _ => 1000 }.AtLeast(1);
        var unitIdLr = new Option<double>("--unit-id-lr") { Description = "Peak learning rate of stage 1.", DefaultValueFactory = _ => 1e-2 }.AtLeast(0.0, exclusive: true);
        var finetuneSteps = new Option<int>("--finetune-steps") { Description = "Steps of stage 2 (all parameters; finetune mode).", DefaultValueFactory = _ => 1000 }.AtLeast(1);
        var finetuneLr = new Option<double>("--finetune-lr") { Description = "Peak learning rate of stage 2.", DefaultValueFactory = _ => 3e-4 }.AtLeast(0.0, exclusive: true);
        var seed = CommonOptions.Seed("Seed of the new embeddings and the batches.");
        var threads = CommonOptions.TorchThreads();
        var resume = CommonOptions.Resume("Continue from the checkpoints next to MODEL2.zip.");
        var behavior = new DecodeInputArguments();
        var command = new Command("adapt", "Adapt a pretrained POYO decoder to new sessions (unit identification, optional fine-tuning).")
        {
            modelPath, data, output, mode, sessions, trainFraction, subset, unitIdSteps, unitIdLr, finetuneSteps, finetuneLr, seed, threads, resume,
        };
        behavior.AddTo(command);
        command.Guard([modelPath, data], [(output, OutputKind.File)]);
        command.SetAction((parse, cancellationToken) =>
        {
            var artifact = ModelArtifact.Read(parse.GetRequiredValue(modelPath));
            var dataset = NeuralDataset.Open(parse.GetRequiredValue(data));
            var known = PoyoArtifactSessions(artifact);
            IReadOnlyList<string> chosen = ChosenSessions(dataset, parse.GetValue(sessions))
                ?? dataset.Sessions.Select(s => s.SessionId).Where(id => !known.Contains(id)).ToArray();
            if (chosen.Count == 0) throw new ArgumentException("--data: every session of the dataset is already known to the model; name new ones with --sessions");
            var recordings = behavior.Apply(parse, ReadSessions(dataset, chosen), PoyoDecoder.ChannelsOf(artifact));
            var targetPath = parse.GetRequiredValue(output);
            var baseSplit = PoyoDecoder.SplitOf(artifact);
            var options = new PoyoAdaptationOptions
            {
                Mode = parse.GetRequiredValue(mode) == "finetune" ? PoyoAdaptationMode.FineTune : PoyoAdaptationMode.UnitIdentification,
                UnitIdentificationSteps = parse.GetValue(unitIdSteps),
                UnitIdentificationLearningRate = parse.GetValue(unitIdLr),
                FineTuneSteps = parse.GetValue(finetuneSteps),
                FineTuneLearningRate = parse.GetValue(finetuneLr),
                Split = baseSplit with
                {
                    TrainFraction = parse.GetValue(trainFraction) ?? baseSplit.TrainFraction,
                    TrainSubsetFraction = parse.GetValue(subset),
                },
                Seed = parse.GetValue(seed),
                CheckpointPath = targetPath + ".checkpoint",
            };
            options.Validate();
            CommonOptions.StartTorch(parse, threads);
            PoyoDecoder? decoder = null;
            try
            {
                TrainingDisplay.Run(io, $"decode adapt {parse.GetRequiredValue(mode)}", progress =>
                    decoder = PoyoAdapter.Adapt(artifact, recordings, options, progress, cancellationToken, parse.GetValue(resume)));
            }
            catch (OperationCanceledException)
            {
                CliErrors.Cancel(io.Error, $"cancelled; checkpoints at {options.CheckpointPath}.*; rerun with --resume to continue");
                return Task.FromResult(CliErrors.Cancelled);
            }
            using (decoder)
            {
                decoder!.ToArtifact(dataset.Path, options.Seed).Write(targetPath);
                foreach (var stage in new[] { ".unit-id", ".finetune" }) File.Delete(options.CheckpointPath + stage);
                io.Error.WriteLine($"wrote {targetPath}: adapted to {TerminalText.Safe(string.Join(", ", chosen))}");
                ReportValidation(io, decoder, recordings, decoder.Options.Split);
            }
            return Task.FromResult(0);
        });
        return command;
    }

    private static HashSet<string> PoyoArtifactSessions(ModelArtifact artifact) => new(PoyoDecoder.SessionsOf(artifact), StringComparer.Ordinal);
}
