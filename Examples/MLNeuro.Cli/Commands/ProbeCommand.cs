using MLNeuro.Loaders.IO;
using System.CommandLine;
using MLNeuro.Cli.Output;
using MLNeuro.Loaders;
using MLNeuro.Reporting;
using MLNeuro.Loaders.Import;
using MLNeuro.Transforms;

namespace MLNeuro.Cli.Commands;

/// <summary>
/// <c>mlneuro probe --table FILE.parquet --label cell_type --group subject_id [--exclude-labels A,B] [--folds N] [--label-fraction F] [--seed N] [--json OUT]</c>:
/// a grouped cross-validated linear probe over any feature table (hand-made features or learned embeddings).
/// </summary>
internal static class ProbeCommand
{
    public static Command Create(CliIo io)
    {
        var table = new Option<string>("--table") { Description = "Feature table (Parquet: string label columns + a 'features' list<float> column).", Required = true };
        var label = new Option<string>("--label") { Description = "Column to predict; units with an empty value are left out.", DefaultValueFactory = _ => ProbeOptions.Defaults.Label };
        var group = new Option<string>("--group") { Description = "Column whose values never straddle train and test (subject_id: leave animals out).", DefaultValueFactory = _ => ProbeOptions.Defaults.Group };
        var exclude = CommonOptions.ExcludeLabels();
        var folds = new Option<int?>("--folds") { Description = "Number of grouped folds (default: leave one group out)." };
        folds.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 2 and var n) result.AddError($"--folds must be at least 2 (got {n})");
        });
        var fraction = new Option<double>("--label-fraction") { Description = "Fraction (0, 1] of each class's training units to fit on (label efficiency).", DefaultValueFactory = _ => ProbeOptions.Defaults.LabelFraction }
            .AtLeast(0.0, exclusive: true);
        var seed = CommonOptions.Seed("Seed for grouped fold assignment, label subsampling and the trainer.", ProbeOptions.Defaults.Seed);
        var trainer = new Option<ProbeTrainer>("--trainer") { Description = "Multiclass trainer.", DefaultValueFactory = _ => ProbeTrainer.LbfgsMaximumEntropy };
        var json = new Option<string?>("--json") { Description = "Also write the metrics as one JSON object to this file (atomically)." };
        var command = new Command("probe", "Fit a class-balanced linear probe on a feature table under grouped cross-validation; report balanced accuracy, macro F1, confusion.")
        {
            table, label, group, exclude, folds, fraction, seed, trainer, json,
        };
        command.Guard([table], [(json, OutputKind.File)]);
        command.SetAction((parse, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(table);
            var features = FeatureTable.Read(path);
            var options = new ProbeOptions
            {
                Label = parse.GetValue(label)!,
                Group = parse.GetValue(group)!,
                ExcludeLabels = CommonOptions.List(parse.GetValue(exclude)),
                Folds = parse.GetValue(folds),
                LabelFraction = parse.GetValue(fraction),
                Seed = parse.GetValue(seed),
                Trainer = parse.GetValue(trainer),
            };
            ProbeResult? result = null;
            ProgressDisplay.Run(io, "probe", progress =>
                result = Probe.Run(features, options, progress, cancellationToken));
            ProbeDisplay.Print(io.Data, result!, path);
            if (parse.GetValue(json) is { } jsonPath)
            {
                AtomicFile.WriteAllText(jsonPath, ProbeReport.ToJson(result!, features, path));
                io.Error.WriteLine($"wrote {jsonPath}");
            }
            return Task.FromResult(0);
        });
        return command;
    }
}
