using MLNeuro.Loaders.IO;
using System.CommandLine;
using MLNeuro.Cli.Output;
using MLNeuro.Estimators;
using MLNeuro.Loaders;
using MLNeuro.Reporting;
using MLNeuro.Transforms;

namespace MLNeuro.Cli.Commands;

/// <summary>
/// <c>mlneuro evaluate nuclr --data DIR --label L --group subject_id --out REPORT_DIR</c>: NuCLR's evaluation protocol
/// (transductive and zero-shot probes, label efficiency, scaling) beside the handcrafted-feature baseline, written as
/// report.json, report.md and PNG plots.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create(CliIo io) =>
        new("evaluate", "Evaluate a pretraining method against the handcrafted-feature baseline.") { Nuclr(io) };

    private static Command Nuclr(CliIo io)
    {
        var data = CommonOptions.Data();
        var label = new Option<string>("--label") { Description = "Unit column to probe.", DefaultValueFactory = _ => ProbeOptions.Defaults.Label };
        var group = new Option<string>("--group") { Description = "Held out in the zero-shot setting: subject_id (new animals) or session_id.", DefaultValueFactory = _ => ProbeOptions.Defaults.Group };
        group.AcceptOnlyFromAmong("subject_id", "session_id");
        var exclude = CommonOptions.ExcludeLabels();
        var output = CommonOptions.Output("Report folder (report.json, report.md, PNG plots; replaced atomically).");
        var steps = new Option<int>("--steps") { Description = "Optimizer steps of every pretraining run.", DefaultValueFactory = _ => 1000 }.AtLeast(1);
        var lr = new Option<double?>("--lr") { Description = "Override the recipe's peak learning rate (5e-4; AdamW, one epoch of warmup, then cosine)." };
        lr.AtLeastWhenSet(0.0, exclusive: true);
        var noScaling = new Option<bool>("--no-scaling") { Description = "Skip the scaling curve (saves groups x (groups-2) pretraining runs)." };
        var seed = CommonOptions.Seed("Seed of pretraining, folds and label subsamples.");
        var threads = CommonOptions.TorchThreads();
        var model = new NuclrModelArguments();
        var command = new Command("nuclr", "Run NuCLR's protocol: pretrain (once per held-out group), embed, probe transductive and zero-shot, label efficiency, scaling; compare with handcrafted features.")
        {
            data, label, exclude, group, output, steps, lr, noScaling, seed, threads,
        };
        model.AddTo(command);
        command.Guard([data], [(output, OutputKind.Report)]);
        command.SetAction((parse, cancellationToken) =>
        {
            var dataset = NeuralDataset.Open(parse.GetRequiredValue(data));
            if (model.IntervalAdvice(parse, dataset) is { } advice) io.Error.WriteLine(advice);
            if (model.SizingNote(parse, dataset) is { } sizing) io.Error.WriteLine(sizing);
            var recipe = model.Build(parse, dataset, parse.GetValue(steps), null, defaultSteps: 1000, parse.GetValue(lr), parse.GetValue(seed));
            var modelOptions = recipe.Model;
            var options = new NuclrEvaluationOptions
            {
                Label = parse.GetValue(label)!,
                ExcludeLabels = CommonOptions.List(parse.GetValue(exclude)),
                Group = parse.GetValue(group)!,
                Model = modelOptions,
                Training = recipe.Training,
                // Trial-only data: the baseline's features see the same intervals the encoder's views are cut from.
                Features = new NeuronFeatureOptions { IntervalKind = modelOptions.Sampling.IntervalKind },
                Scaling = !parse.GetValue(noScaling),
                Seed = parse.GetValue(seed),
            };

            CommonOptions.StartTorch(parse, threads);

            NuclrEvaluationReport? report = null;
            EvaluationDisplay.Run(io, progress => report = NuclrEvaluation.Run(dataset, options, progress, cancellationToken));
            var commandLine = "mlneuro " + string.Join(' ', parse.Tokens.Select(t => t.Value.Contains(' ') ? $"\"{t.Value}\"" : t.Value));
            var target = parse.GetRequiredValue(output);
            AtomicFolder.Write(target, NuclrEvaluationReportFiles.Folder, folder => NuclrEvaluationReportFiles.Write(report!, folder, commandLine));
            EvaluationDisplay.Print(io.Data, report!);
            io.Error.WriteLine($"wrote {target}: report.json, report.md and {NuclrEvaluationReportFiles.Plots.Length} plots");
            return Task.FromResult(0);
        });
        return command;
    }
}
