using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLNeuro.Cli.Output;
using MLNeuro.Cli.Plots;
using MLNeuro.Estimators;
using MLNeuro.Loaders;
using MLNeuro.Transforms;

namespace MLNeuro.Cli.Commands;

/// <summary>
/// <c>mlneuro decode train|eval</c>: behaviour decoding from spikes. <c>train</c> fits a decoder on the training part of
/// every session (by default the first 80% of each session's time, of which the last <c>--validation-fraction</c> is
/// held out and scored at the end) and writes a model artifact; <c>eval</c> scores an artifact on the evaluation part
/// (the rest of each session's time), printing R² per channel, optionally as JSON (<c>r2</c> = mean over channels of the
/// pooled R²) and as a PNG of true vs decoded traces.
/// </summary>
internal static class DecodeCommand
{
    public static Command Create(CliIo io) => new("decode", "Decode behaviour from spikes: train a decoder, evaluate it.") { Train(io), Eval(io), Adapt(io) };

    private static Command Train(CliIo io)
    {
        var data = new Option<string>("--data") { Description = "Dataset folder (sessions with behaviour).", Required = true };
        var output = new Option<string>("--out") { Description = "Model artifact to write (zip; written atomically).", Required = true };
        var target = new Option<string>("--target") { Description = "Comma-separated behaviour channels to decode, e.g. vx,vy.", Required = true };
        var model = new Option<string>("--model") { Description = "Decoder: poyo (spike-token Perceiver), wiener (ridge on lagged 50 ms counts), mlp (on the same features).", DefaultValueFactory = _ => "poyo" };
        model.AcceptOnlyFromAmong("poyo", "wiener", "mlp");
        var config = new Option<string>("--config") { Description = "POYO configuration: tiny, 1.3M (paper) or 11.8M (paper).", DefaultValueFactory = _ => "tiny" };
        config.AcceptOnlyFromAmong("tiny", "1.3M", "11.8M");
        var trainFraction = new Option<double>("--train-fraction") { Description = "Share of each session's time, from its start, that trains.", DefaultValueFactory = _ => 0.8 };
        var validationFraction = new Option<double>("--validation-fraction") { Description = "Share of the training part, from its end, held out for validation.", DefaultValueFactory = _ => 0.1 };
        var subset = new Option<double>("--train-subset") { Description = "Use only this share of the training part, from its start (little-data studies).", DefaultValueFactory = _ => 1.0 };
        var steps = new Option<int?>("--steps") { Description = "Optimizer steps (default 2000)." };
        var epochs = new Option<double?>("--epochs") { Description = "Instead of --steps: passes over the training time in non-overlapping windows." };
        var batch = new Option<int>("--batch") { Description = "Windows per step.", DefaultValueFactory = _ => 32 }.AtLeast(1);
        var lr = new Option<double>("--lr") { Description = "Peak learning rate (AdamW, warmup then cosine).", DefaultValueFactory = _ => 2e-3 }.AtLeast(0.0, exclusive: true);
        var unitDropout = new Option<double>("--min-units-kept") { Description = "Unit dropout: each training window keeps a random fraction in [this, 1] of the units (1 = off).", DefaultValueFactory = _ => 1.0 };
        var depth = new Option<int?>("--depth") { Description = "Override the configuration's number of latent self-attention blocks." };
        var routing = new Option<double>("--routing-capacity") { Description = "Mixture-of-Depths: share of latents every other self-attention block processes (0 = dense; paper 0.125).", DefaultValueFactory = _ => 0.0 };
        var sessions = new Option<string?>("--sessions") { Description = "Comma-separated sessions to train on (default: all)." };
        var lags = new Option<int>("--lags") { Description = "wiener/mlp: 50 ms bins of counts per unit in each sample's window.", DefaultValueFactory = _ => 10 }.AtLeast(1);
        var leadBins = new Option<int>("--lead-bins") { Description = "wiener/mlp: how many of those bins lie after the prediction time (0 = causal; lags/2 centres the window, as POYO's windows see both sides).", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var init = new Option<string?>("--init") { Description = "Fine-tune this POYO artifact (e.g. from pretrain poyo-ssl) instead of starting from scratch; its architecture and split are kept." };
        var unitsNotIn = new Option<string?>("--units-not-in") { Description = "Train only on the units this POYO artifact has no embedding for (POYO-SSL's unpredictable population: give the pretrained model)." };
        var seed = new Option<int>("--seed") { Description = "Seed of initialisation and batches.", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads (0 = libtorch's default).", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var resume = new Option<bool>("--resume") { Description = "Continue from MODEL.zip.checkpoint (left by Ctrl-C or a killed run)." };
        var behavior = new DecodeInputArguments();
        var command = new Command("train", "Train a behaviour decoder and write a model artifact.")
        {
            data, output, target, model, config, trainFraction, validationFraction, subset, steps, epochs, batch, lr, unitDropout, depth, routing, lags, leadBins, sessions, init, unitsNotIn, seed, threads, resume,
        };
        behavior.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            if (parse.GetValue(steps) is not null && parse.GetValue(epochs) is not null)
                throw new ArgumentException("give --steps or --epochs, not both");
            var dataset = NeuralDataset.Open(parse.GetRequiredValue(data));
            var channels = CommonOptions.List(parse.GetRequiredValue(target));
            var recordings = behavior.Apply(parse, ReadSessions(dataset, ChosenSessions(dataset, parse.GetValue(sessions))), channels);
            var options = new PoyoDecodingOptions
            {
                Model = PoyoModelOptions.Named(parse.GetRequiredValue(config)) with
                {
                    RoutingCapacity = parse.GetValue(routing),
                    Depth = parse.GetValue(depth) ?? PoyoModelOptions.Named(parse.GetRequiredValue(config)).Depth,
                },
                Channels = channels,
                Split = new DecodingSplitOptions
                {
                    TrainFraction = parse.GetValue(trainFraction),
                    ValidationFraction = parse.GetValue(validationFraction),
                    TrainSubsetFraction = parse.GetValue(subset),
                },
                BatchSize = parse.GetValue(batch),
                UnitDropoutMinKeep = parse.GetValue(unitDropout),
            };
            options.Validate();
            int totalSteps = parse.GetValue(epochs) is { } e
                ? Math.Max(1, (int)Math.Ceiling(e * TrainingWindows(recordings, options) / options.BatchSize))
                : parse.GetValue(steps) ?? 2000;
            if (totalSteps < 1) throw new ArgumentException($"--steps must be at least 1 (got {totalSteps})");

            var targetPath = parse.GetRequiredValue(output);
            var checkpoint = targetPath + ".checkpoint";
            var training = PoyoSchedule(totalSteps, parse.GetValue(lr), parse.GetValue(seed), checkpoint);
            bool resuming = parse.GetValue(resume);
            if (resuming && !File.Exists(checkpoint)) io.Error.WriteLine($"no checkpoint at {checkpoint}; starting from step 0");
            if (parse.GetRequiredValue(model) != "poyo")
                return Task.FromResult(TrainBaseline(io, parse.GetRequiredValue(model), dataset.Path, recordings, options, training,
                    (parse.GetValue(lags), parse.GetValue(leadBins)), parse.GetValue(threads), targetPath, cancellationToken));
            TorchRuntime.EnsureAvailable();
            if (parse.GetValue(threads) is > 0 and var n) TorchSharp.torch.set_num_threads(n);

            ModelArtifact? initial = parse.GetValue(init) is { } initPath ? ModelArtifact.Read(initPath) : null;
            if (parse.GetValue(unitsNotIn) is { } exclude) recordings = UnknownUnits(ModelArtifact.Read(exclude), recordings);
            PoyoDecoder? decoder = null;
            TrainingProgress? last = null;
            try
            {
                TrainingDisplay.Run(io, initial is null ? "decode train poyo" : "decode train poyo (fine-tune)", progress =>
                {
                    var tracking = new ProgressTracking(progress, p => last = p);
                    decoder = initial is null
                        ? PoyoTrainer.Train(recordings, options, training, tracking, cancellationToken, resuming)
                        : PoyoSslPretrainer.FineTune(initial, recordings, training, tracking, cancellationToken, resuming);
                });
            }
            catch (OperationCanceledException)
            {
                io.Error.WriteLine($"mlneuro: cancelled at step {last?.Step ?? 0}/{totalSteps}; checkpoint at {checkpoint}; rerun with --resume to continue");
                return Task.FromResult(1);
            }
            using (decoder)
            {
                decoder!.ToArtifact(dataset.Path, training.Seed).Write(targetPath);
                File.Delete(checkpoint);
                io.Error.WriteLine($"wrote {targetPath}: POYO {parse.GetRequiredValue(config)} ({decoder.ParameterCount:N0} parameters), {totalSteps} steps, final loss {last?.Loss:F4}, {last?.StepsPerSecond:F2} steps/s");
                ReportValidation(io, decoder, recordings, options.Split);
            }
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>
    /// POYO's training schedule in the CLI: warmup over the first 10% (at most 200 steps), cosine to zero, weight decay
    /// 1e-4 on matrices, a checkpoint every 200 steps.
    /// </summary>
    internal static TrainingOptions PoyoSchedule(int totalSteps, double learningRate, long seed, string checkpoint) => new()
    {
        TotalSteps = totalSteps,
        WarmupSteps = Math.Min(200, totalSteps / 10),
        LearningRate = learningRate,
        WeightDecay = 1e-4,
        Seed = seed,
        CheckpointPath = checkpoint,
        CheckpointEverySteps = Math.Min(200, totalSteps),
    };

    /// <summary>The recordings restricted to the units <paramref name="model"/> has no embedding for.</summary>
    private static Recording[] UnknownUnits(ModelArtifact model, Recording[] recordings)
    {
        var known = new HashSet<string>(PoyoDecoder.UnitsOf(model), StringComparer.Ordinal);
        var kept = recordings.Select(r => RecordingSubset.KeepUnits(r,
            r.Units.Select(u => !known.Contains(PoyoDecoder.UnitKey(r.SessionId, u.UnitId))).ToArray())).ToArray();
        var empty = kept.Where(r => r.Units.Count == 0).Select(r => r.SessionId).ToArray();
        if (empty.Length > 0) throw new ArgumentException($"--units-not-in: that model already knows every unit of {string.Join(", ", empty)}");
        return kept;
    }

    /// <summary>Trains a Wiener filter or an MLP on the same splits and channels as POYO would use.</summary>
    private static int TrainBaseline(CliIo io, string kind, string datasetPath, Recording[] recordings, PoyoDecodingOptions options,
        TrainingOptions training, (int Lags, int Leads) window, int threads, string targetPath, CancellationToken cancellationToken)
    {
        var splits = recordings.Select(r => DecodingSplit.Of(r, options.Split)).ToArray();
        if (kind == "wiener")
        {
            var wienerOptions = new WienerFilterOptions { Seed = (int)training.Seed, Split = options.Split, Lags = window.Lags, LeadBins = window.Leads };
            wienerOptions.Validate();
            WienerFilterDecoder? wiener = null;
            io.ProgressBars().Start(ctx =>
            {
                var task = ctx.AddTask("decode train wiener", maxValue: recordings.Length);
                wiener = WienerFilterDecoder.Train(recordings, splits, options.Channels, wienerOptions,
                    new Progress<(int Done, int Total)>(p => task.Value = p.Done), cancellationToken);
                task.Value = task.MaxValue;
            });
            wiener!.ToArtifact(datasetPath).Write(targetPath);
            io.Error.WriteLine($"wrote {targetPath}: Wiener filter, {wienerOptions.Lags} bins of {wienerOptions.BinSeconds * 1000:F0} ms ({wienerOptions.LeadBins} after the prediction time)");
            ReportValidation(io, wiener, recordings, options.Split);
            return 0;
        }
        TorchRuntime.EnsureAvailable();
        if (threads > 0) TorchSharp.torch.set_num_threads(threads);
        var mlpOptions = new MlpOptions { Split = options.Split, Lags = window.Lags, LeadBins = window.Leads, Training = training with { CheckpointPath = null, CheckpointEverySteps = 0, LearningRate = 1e-3, WeightDecay = 0.01 } };
        mlpOptions.Validate();
        MlpDecoder? mlp = null;
        TrainingDisplay.Run(io, "decode train mlp", progress => mlp = MlpDecoder.Train(recordings, splits, options.Channels, mlpOptions, progress, cancellationToken));
        using (mlp)
        {
            mlp!.ToArtifact(datasetPath).Write(targetPath);
            io.Error.WriteLine($"wrote {targetPath}: MLP {mlpOptions.HiddenLayers}x{mlpOptions.HiddenDim}, weights of step {mlp.ChosenStep} (best validation)");
            ReportValidation(io, mlp, recordings, options.Split);
        }
        return 0;
    }

    /// <summary>Prints the decoder's R² on the validation part, when the split has one (for choosing settings).</summary>
    private static void ReportValidation(CliIo io, IBehaviorDecoder decoder, IEnumerable<Recording> recordings, DecodingSplitOptions split)
    {
        var validation = recordings.Select(r => (r, DecodingSplit.Of(r, split).Validation)).Where(p => p.Validation.Count > 0).ToArray();
        if (validation.Length == 0) return;
        var score = DecodingEvaluator.Evaluate(decoder, validation);
        io.Error.WriteLine($"validation R² {score.Pooled.MeanR2:F3} ({Describe(score.Channels, score.Pooled.R2)})");
    }

    private static Command Adapt(CliIo io)
    {
        var modelPath = new Option<string>("--model") { Description = "Pretrained POYO artifact.", Required = true };
        var data = new Option<string>("--data") { Description = "Dataset folder with the new sessions.", Required = true };
        var output = new Option<string>("--out") { Description = "Adapted model artifact to write (zip; written atomically).", Required = true };
        var mode = new Option<string>("--mode") { Description = "unit-id: learn only the new units' and sessions' embeddings (trunk frozen); finetune: unit-id, then every parameter.", DefaultValueFactory = _ => "unit-id" };
        mode.AcceptOnlyFromAmong("unit-id", "finetune");
        var sessions = new Option<string?>("--sessions") { Description = "Comma-separated new sessions (default: every session of the dataset the model does not know)." };
        var trainFraction = new Option<double?>("--train-fraction") { Description = "Share of each new session's time that trains (default: the model's)." };
        var subset = new Option<double>("--train-subset") { Description = "Use only this share of the training part, from its start (little-data studies).", DefaultValueFactory = _ => 1.0 };
        var unitIdSteps = new Option<int>("--unit-id-steps") { Description = "Steps of stage 1 (embeddings only).", DefaultValueFactory = _ => 1000 }.AtLeast(1);
        var unitIdLr = new Option<double>("--unit-id-lr") { Description = "Peak learning rate of stage 1.", DefaultValueFactory = _ => 1e-2 }.AtLeast(0.0, exclusive: true);
        var finetuneSteps = new Option<int>("--finetune-steps") { Description = "Steps of stage 2 (all parameters; finetune mode).", DefaultValueFactory = _ => 1000 }.AtLeast(1);
        var finetuneLr = new Option<double>("--finetune-lr") { Description = "Peak learning rate of stage 2.", DefaultValueFactory = _ => 3e-4 }.AtLeast(0.0, exclusive: true);
        var seed = new Option<int>("--seed") { Description = "Seed of the new embeddings and the batches.", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads (0 = libtorch's default).", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoints next to MODEL2.zip." };
        var behavior = new DecodeInputArguments();
        var command = new Command("adapt", "Adapt a pretrained POYO decoder to new sessions (unit identification, optional fine-tuning).")
        {
            modelPath, data, output, mode, sessions, trainFraction, subset, unitIdSteps, unitIdLr, finetuneSteps, finetuneLr, seed, threads, resume,
        };
        behavior.AddTo(command);
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
            TorchRuntime.EnsureAvailable();
            if (parse.GetValue(threads) is > 0 and var n) TorchSharp.torch.set_num_threads(n);
            PoyoDecoder? decoder = null;
            try
            {
                TrainingDisplay.Run(io, $"decode adapt {parse.GetRequiredValue(mode)}", progress =>
                    decoder = PoyoAdapter.Adapt(artifact, recordings, options, progress, cancellationToken, parse.GetValue(resume)));
            }
            catch (OperationCanceledException)
            {
                io.Error.WriteLine($"mlneuro: cancelled; checkpoints at {options.CheckpointPath}.*; rerun with --resume to continue");
                return Task.FromResult(1);
            }
            using (decoder)
            {
                decoder!.ToArtifact(dataset.Path, options.Seed).Write(targetPath);
                foreach (var stage in new[] { ".unit-id", ".finetune" }) File.Delete(options.CheckpointPath + stage);
                io.Error.WriteLine($"wrote {targetPath}: adapted to {string.Join(", ", chosen)}");
                ReportValidation(io, decoder, recordings, decoder.Options.Split);
            }
            return Task.FromResult(0);
        });
        return command;
    }

    private static HashSet<string> PoyoArtifactSessions(ModelArtifact artifact) => new(PoyoDecoder.SessionsOf(artifact), StringComparer.Ordinal);

    private static Command Eval(CliIo io)
    {
        var modelPath = new Option<string>("--model") { Description = "Decoder artifact (from decode train).", Required = true };
        var data = new Option<string>("--data") { Description = "Dataset folder.", Required = true };
        var json = new Option<string?>("--json") { Description = "Write the scores as JSON here." };
        var plots = new Option<string?>("--plots") { Description = "Folder for one PNG per session of true vs decoded traces (first 60 s of the evaluation part)." };
        var unitsNotIn = new Option<string?>("--units-not-in") { Description = "Decode only from the units this POYO artifact lacks (as the decoder was trained with decode train --units-not-in)." };
        var sessions = new Option<string?>("--sessions") { Description = "Comma-separated sessions to evaluate (default: every session the model knows)." };
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads (0 = libtorch's default).", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var behavior = new DecodeInputArguments();
        var command = new Command("eval", "Score a decoder on the evaluation part (R² per channel).") { modelPath, data, json, plots, unitsNotIn, sessions, threads };
        behavior.AddTo(command);
        command.SetAction(parse =>
        {
            var artifact = ModelArtifact.Read(parse.GetRequiredValue(modelPath));
            var dataset = NeuralDataset.Open(parse.GetRequiredValue(data));
            TorchRuntime.EnsureAvailable();
            if (parse.GetValue(threads) is > 0 and var n) TorchSharp.torch.set_num_threads(n);
            using var loaded = DecoderArtifacts.Load(artifact, parse.GetRequiredValue(modelPath));
            IReadOnlyList<string> chosen = ChosenSessions(dataset, parse.GetValue(sessions)) ?? loaded.Sessions.Where(id => dataset.Sessions.Any(s => s.SessionId == id)).ToArray();
            if (chosen.Count == 0) throw new ArgumentException($"the dataset shares no session with the model (it knows {string.Join(", ", loaded.Sessions)})");
            var recordings = behavior.Apply(parse, ReadSessions(dataset, chosen), loaded.Decoder.Channels);
            if (parse.GetValue(unitsNotIn) is { } exclude) recordings = UnknownUnits(ModelArtifact.Read(exclude), recordings);
            var evaluation = DecodingEvaluator.Evaluate(loaded.Decoder, recordings.Select(r => (r, DecodingSplit.Of(r, loaded.Split).Evaluation)));
            foreach (var s in evaluation.Sessions)
                io.Out.WriteLine($"{s.SessionId}\tR² {s.MeanR2:F3}\t{Describe(evaluation.Channels, s.R2)}");
            io.Out.WriteLine($"all\tR² {evaluation.Pooled.MeanR2:F3}\t{Describe(evaluation.Channels, evaluation.Pooled.R2)}");
            if (parse.GetValue(json) is { } jsonPath) AtomicFile.WriteAllText(jsonPath, ToJson(artifact.Manifest.ModelKind, evaluation));
            if (parse.GetValue(plots) is { } folder)
            {
                Directory.CreateDirectory(folder);
                foreach (var trace in evaluation.Traces)
                    ReportPlots.WriteDecodedTraces(Path.Combine(folder, trace.SessionId + ".png"),
                        $"{artifact.Manifest.ModelKind}: {trace.SessionId}, evaluation part", trace, evaluation.Channels);
            }
            return 0;
        });
        return command;
    }

    /// <summary>The recordings of the named sessions (every session when null), with spikes and behaviour.</summary>
    private static Recording[] ReadSessions(NeuralDataset dataset, IReadOnlyList<string>? ids) =>
        (ids ?? dataset.Sessions.Select(s => s.SessionId).ToArray()).Select(id => dataset.ReadRecording(id)).ToArray();

    private static string[]? ChosenSessions(NeuralDataset dataset, string? value)
    {
        if (value is null) return null;
        var ids = CommonOptions.List(value);
        var unknown = ids.Where(id => dataset.Sessions.All(s => s.SessionId != id)).ToArray();
        if (unknown.Length > 0) throw new ArgumentException($"--sessions: no session {string.Join(", ", unknown)} in the dataset");
        return ids;
    }

    /// <summary>Non-overlapping windows that fit in the training parts: the size of one epoch.</summary>
    private static double TrainingWindows(IEnumerable<Recording> recordings, PoyoDecodingOptions options) =>
        recordings.Sum(r => DecodingSplit.Of(r, options.Split).Train.Sum(i => Math.Floor(i.DurationSeconds / options.WindowSeconds)));

    private static string Describe(IReadOnlyList<string> channels, IReadOnlyList<double> r2) =>
        string.Join("  ", channels.Select((c, i) => $"{c} {r2[i]:F3}"));

    private static string ToJson(string modelKind, DecodingEvaluation evaluation)
    {
        JsonObject Score(DecodingScore s) => new()
        {
            ["r2"] = s.MeanR2,
            ["samples"] = s.Samples,
            ["channels"] = new JsonObject(evaluation.Channels.Select((c, i) => KeyValuePair.Create(c, (JsonNode?)JsonValue.Create(s.R2[i])))),
        };
        var root = Score(evaluation.Pooled);
        root["model"] = modelKind;
        root["meanSessionR2"] = evaluation.MeanSessionR2;
        root["sessions"] = new JsonObject(evaluation.Sessions.Select(s => KeyValuePair.Create(s.SessionId!, (JsonNode?)Score(s))));
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
