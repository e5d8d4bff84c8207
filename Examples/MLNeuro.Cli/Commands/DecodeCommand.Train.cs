using System.CommandLine;
using MLNeuro.Cli.Output;
using MLNeuro.Estimators;
using MLNeuro.Loaders;
using MLNeuro.Transforms;

namespace MLNeuro.Cli.Commands;

/// <summary><c>decode train</c>: POYO, Wiener filter or MLP on the training part of every session.</summary>
internal static partial class DecodeCommand
{
    private static Command Train(CliIo io)
    {
        var data = CommonOptions.Data("Dataset folder (sessions with behaviour).");
        var output = CommonOptions.Output("Model artifact to write (zip; written atomically).");
        var target = new Option<string>("--target") { Description = "Comma-separated behaviour channels to decode, e.g. vx,vy.", Required = true };
        var model = new Option<string>("--model") { Description = "Decoder: poyo (spike-token Perceiver), wiener (ridge on lagged 50 ms counts), mlp (on the same features).", DefaultValueFactory = _ => "poyo" };
        model.AcceptOnlyFromAmong("poyo", "wiener", "mlp");
        var config = new Option<string>("--config") { Description = "POYO configuration: tiny, 1.3M (paper) or 11.8M (paper).", DefaultValueFactory = _ => "tiny" };
        config.AcceptOnlyFromAmong("tiny", "1.3M", "11.8M");
        var trainFraction = new Option<double>("--train-fraction") { Description = "Share of each session's time, from its start, that trains.", DefaultValueFactory = _ => 0.8 };
        var validationFraction = new Option<double>("--validation-fraction") { Description = "Share of the training part, from its end, held out for validation.", DefaultValueFactory = _ => 0.1 };
        var subset = new Option<double>("--train-subset") { Description = "Use only this share of the training part, from its start (little-data studies).", DefaultValueFactory = _ => 1.0 };
        var steps = new Option<int?>("--steps") { Description = "Optimizer steps (default 2000)." };
        var epochs = new Option<double?>("--epochs") { Description = "Instead of --steps: passes over the training windows (every non-overlapping window of the training parts once)." };
        var batch = new Option<int>("--batch") { Description = "Windows per step (64 leaves POYO's initial plateau reliably).", DefaultValueFactory = _ => 64 }.AtLeast(1);
        var recipe = new Option<string>("--recipe") { Description = "POYO training recipe: cpu (what learns best on a CPU budget) or reference (torch_brain's: LAMB, peak held then cosine, dropout).", DefaultValueFactory = _ => DefaultRecipe };
        recipe.AcceptOnlyFromAmong("cpu", "reference");
        var lr = new Option<double?>("--lr") { Description = "Peak learning rate (default: the recipe's; cpu 2e-3, reference 3.125e-5 x batch)." };
        var optimizer = new Option<string?>("--optimizer") { Description = "Override the recipe's optimizer: adamw or lamb." };
        optimizer.AcceptOnlyFromAmong("adamw", "lamb");
        var dropout = new Option<string?>("--dropout") { Description = "Override the recipe's model dropout: on (the reference's 0.2 attention, 0.2 FFN, 0.4 residual) or off." };
        dropout.AcceptOnlyFromAmong("on", "off");
        var triangular = new Option<string?>("--unit-dropout") { Description = "Override the recipe's unit dropout: triangular (the reference's 30/100/300 unit count) or off." };
        triangular.AcceptOnlyFromAmong("triangular", "off");
        var validateEvery = new Option<int>("--validate-every") { Description = "POYO: print the validation R² every this many steps (0 = only at the end).", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var unitDropout = new Option<double?>("--min-units-kept") { Description = "Uniform unit dropout: each training window keeps a random fraction in [this, 1] of the units; 1 turns unit dropout off (default: the recipe's: none for cpu, the triangular 30/100/300 unit count for reference)." };
        var depth = new Option<int?>("--depth") { Description = "Override the configuration's number of latent self-attention blocks." };
        var routing = new Option<double>("--routing-capacity") { Description = "Mixture-of-Depths: share of latents every other self-attention block processes (0 = dense; paper 0.125).", DefaultValueFactory = _ => 0.0 };
        var sessions = new Option<string?>("--sessions") { Description = "Comma-separated sessions to train on (default: all)." };
        var lags = new Option<int>("--lags") { Description = "wiener/mlp: 50 ms bins of counts per unit in each sample's window.", DefaultValueFactory = _ => 10 }.AtLeast(1);
        var leadBins = new Option<int>("--lead-bins") { Description = "wiener/mlp: how many of those bins lie after the prediction time (0 = causal; lags/2 centres the window, as POYO's windows see both sides).", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var init = new Option<string?>("--init") { Description = "Fine-tune this POYO artifact (e.g. from pretrain poyo-ssl) instead of starting from scratch; its architecture and split are kept." };
        var unitsNotIn = new Option<string?>("--units-not-in") { Description = "Train only on the units this POYO artifact has no embedding for (POYO-SSL's unpredictable population: give the pretrained model)." };
        var seed = CommonOptions.Seed("Seed of initialisation and batches.");
        var threads = CommonOptions.TorchThreads();
        var resume = CommonOptions.Resume();
        var curvePath = CommonOptions.LearningCurve();
        var behavior = new DecodeInputArguments();
        var command = new Command("train", "Train a behaviour decoder and write a model artifact.")
        {
            data, output, target, model, config, trainFraction, validationFraction, subset, steps, epochs, batch, recipe, lr, optimizer, dropout, triangular, validateEvery, unitDropout, depth, routing, lags, leadBins, sessions, init, unitsNotIn, seed, threads, resume,
            curvePath,
        };
        behavior.AddTo(command);
        command.Guard([data, init, unitsNotIn], [(output, OutputKind.File), (curvePath, OutputKind.FilesInto)]);
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
                UnitDropoutMinKeep = parse.GetValue(unitDropout) ?? 1.0,
            };
            options.Validate();
            int totalSteps = parse.GetValue(epochs) is { } e
                ? PoyoRecipe.StepsForEpochs(recordings, options, e)
                : parse.GetValue(steps) ?? 2000;
            if (totalSteps < 1) throw new ArgumentException($"--steps must be at least 1 (got {totalSteps})");

            var targetPath = parse.GetRequiredValue(output);
            var checkpoint = targetPath + ".checkpoint";
            if (parse.GetValue(lr) is <= 0) throw new ArgumentException("--lr must be positive");
            var plan = Recipe(parse.GetRequiredValue(recipe), options, totalSteps, parse.GetValue(seed));
            if (parse.GetValue(triangular) is { } unitSwitch)
                plan = plan with { Decoding = plan.Decoding with { UnitDropout = unitSwitch == "triangular" ? PoyoUnitDropout.Reference : null } };
            if (parse.GetValue(unitDropout) is { } keep) plan = plan with { Decoding = plan.Decoding with { UnitDropoutMinKeep = keep, UnitDropout = null } };
            if (parse.GetValue(dropout) is { } dropoutSwitch) plan = plan with { Decoding = plan.Decoding with { Model = WithDropout(plan.Decoding.Model, dropoutSwitch == "on") } };
            options = plan.Decoding;
            options.Validate();
            var training = plan.Training with
            {
                LearningRate = parse.GetValue(lr) ?? plan.Training.LearningRate,
                Optimizer = parse.GetValue(optimizer) is { } o ? (o == "lamb" ? TrainingOptimizer.Lamb : TrainingOptimizer.AdamW) : plan.Training.Optimizer,
                ValidationEverySteps = parse.GetValue(validateEvery),
                CheckpointPath = checkpoint,
                CheckpointEverySteps = Math.Min(200, totalSteps),
            };
            bool resuming = parse.GetValue(resume);
            if (resuming && !File.Exists(checkpoint)) io.Error.WriteLine($"no checkpoint at {checkpoint}; starting from step 0");
            var curve = new LearningCurveOutput(parse.GetValue(curvePath), "validation R²");
            if (parse.GetRequiredValue(model) != "poyo")
                return Task.FromResult(TrainBaseline(io, parse.GetRequiredValue(model), dataset.Path, recordings, options, training,
                    (parse.GetValue(lags), parse.GetValue(leadBins)), parse.GetValue(threads), targetPath, curve, cancellationToken));
            CommonOptions.StartTorch(parse, threads);

            ModelArtifact? initial = parse.GetValue(init) is { } initPath ? ModelArtifact.Read(initPath) : null;
            if (parse.GetValue(unitsNotIn) is { } exclude) recordings = UnknownUnits(ModelArtifact.Read(exclude), recordings);
            PoyoDecoder? decoder = null;
            TrainingProgress? last = null;
            try
            {
                TrainingDisplay.Run(io, initial is null ? "decode train poyo" : "decode train poyo (fine-tune)", progress =>
                {
                    var tracking = new ProgressTracking(progress, p =>
                    {
                        last = p;
                        // Windows seen = steps x batch: the figure the plateau is measured in (docs/results/poyo.md).
                        if (p.ValidationScore is { } r2)
                            io.Error.WriteLine($"step {p.Step}/{p.TotalSteps} windows {(long)p.Step * options.BatchSize} loss {p.Loss:F4} validation R² {r2:F3}");
                    });
                    decoder = initial is null
                        ? PoyoTrainer.Train(recordings, options, training, tracking, cancellationToken, resuming)
                        : PoyoSslPretrainer.FineTune(initial, recordings, training, tracking, cancellationToken, resuming);
                }, curve.Curve);
            }
            catch (OperationCanceledException)
            {
                CliErrors.Cancel(io.Error, $"cancelled at step {last?.Step ?? 0}/{totalSteps}; checkpoint at {checkpoint}; rerun with --resume to continue");
                return Task.FromResult(CliErrors.Cancelled);
            }
            using (decoder)
            {
                decoder!.ToArtifact(dataset.Path, training.Seed).Write(targetPath);
                File.Delete(checkpoint);
                io.Error.WriteLine($"wrote {targetPath}: POYO {parse.GetRequiredValue(config)} ({decoder.ParameterCount:N0} parameters), {totalSteps} steps, final loss {last?.Loss:F4}, {last?.StepsPerSecond:F2} steps/s");
                ReportValidation(io, decoder, recordings, options.Split);
            }
            curve.Write(io);
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>The recipe <c>decode train --model poyo</c> uses when <c>--recipe</c> is not given (docs/poyo.md, 'Recipes').</summary>
    internal const string DefaultRecipe = "cpu";

    /// <summary>A named recipe (cpu or reference) applied to the options.</summary>
    internal static PoyoTrainingPlan Recipe(string name, PoyoDecodingOptions options, int totalSteps, long seed) =>
        name == "reference" ? PoyoRecipe.Reference(options, totalSteps, seed) : PoyoRecipe.Cpu(options, totalSteps, seed);

    /// <summary>The model with the reference's dropout rates, or with none.</summary>
    private static PoyoModelOptions WithDropout(PoyoModelOptions model, bool on) => model with
    {
        AttentionDropout = on ? PoyoModelOptions.Poyo1_3M.AttentionDropout : 0,
        FeedForwardDropout = on ? PoyoModelOptions.Poyo1_3M.FeedForwardDropout : 0,
        ResidualDropout = on ? PoyoModelOptions.Poyo1_3M.ResidualDropout : 0,
    };

    /// <summary>
    /// POYO's schedule for the other POYO commands (pretrain poyo-ssl): the CPU recipe's, at the given learning rate,
    /// with a checkpoint every 200 steps.
    /// </summary>
    internal static TrainingOptions PoyoSchedule(int totalSteps, double learningRate, long seed, string checkpoint) =>
        PoyoRecipe.Cpu(new PoyoDecodingOptions(), totalSteps, seed).Training with
        {
            LearningRate = learningRate,
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
        TrainingOptions training, (int Lags, int Leads) window, int threads, string targetPath, LearningCurveOutput curve, CancellationToken cancellationToken)
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
                    new Progress<WorkProgress>(p => task.Value = p.Done), cancellationToken);
                task.Value = task.MaxValue;
            });
            wiener!.ToArtifact(datasetPath).Write(targetPath);
            io.Error.WriteLine($"wrote {targetPath}: Wiener filter, {wienerOptions.Lags} bins of {wienerOptions.BinSeconds * 1000:F0} ms ({wienerOptions.LeadBins} after the prediction time)");
            ReportValidation(io, wiener, recordings, options.Split);
            return 0;
        }
        CommonOptions.StartTorch(threads);
        var mlpOptions = new MlpOptions { Split = options.Split, Lags = window.Lags, LeadBins = window.Leads, Training = training with { CheckpointPath = null, CheckpointEverySteps = 0, LearningRate = 1e-3, WeightDecay = 0.01 } };
        mlpOptions.Validate();
        MlpDecoder? mlp = null;
        TrainingDisplay.Run(io, "decode train mlp", progress => mlp = MlpDecoder.Train(recordings, splits, options.Channels, mlpOptions, progress, cancellationToken),
            curve.Curve);
        using (mlp)
        {
            mlp!.ToArtifact(datasetPath).Write(targetPath);
            io.Error.WriteLine($"wrote {targetPath}: MLP {mlpOptions.HiddenLayers}x{mlpOptions.HiddenDim}, weights of step {mlp.ChosenStep} (best validation)");
            ReportValidation(io, mlp, recordings, options.Split);
        }
        curve.Write(io);
        return 0;
    }
}
