using System.CommandLine;
using MLNeuro.Cli.Output;
using MLNeuro.Loaders;
using MLNeuro.Transforms;

namespace MLNeuro.Cli.Commands;

/// <summary><c>mlneuro features --data DIR --out FILE.parquet [--intervals KIND] [--threads N]</c>: the handcrafted neuron-feature baseline.</summary>
internal static class FeaturesCommand
{
    public static Command Create(CliIo io)
    {
        var data = CommonOptions.Data();
        var output = CommonOptions.Output("Feature table to write (Parquet; replaced atomically).");
        var threads = new Option<int>("--threads") { Description = "Threads (0 = all cores); the output does not depend on it.", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var intervals = new Option<string?>("--intervals")
        {
            Description = "Compute the features only inside each session's intervals of this kind (e.g. trial), for data recorded only in trials: " +
                "spikes outside are ignored, rates divide by the total interval time, ISIs, autocorrelogram pairs and count bins stay within one interval. " +
                "Every session must have such intervals. Default: each session's whole time span.",
            HelpName = "KIND",
        };
        intervals.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } kind && string.IsNullOrWhiteSpace(kind))
                result.AddError("--intervals needs an interval kind name (e.g. trial); leave it out for the whole time span");
        });
        var command = new Command("features", "Compute per-unit spike statistics (rate, CV, LV, bursts, refractoriness, ISI histograms, autocorrelograms, moments) into a feature table for `mlneuro probe`.")
        {
            data, output, intervals, threads,
        };
        command.Guard([data], [(output, OutputKind.File)]);
        command.SetAction((parse, cancellationToken) =>
        {
            var dataset = NeuralDataset.Open(parse.GetRequiredValue(data));
            var options = new NeuronFeatureOptions { MaxDegreeOfParallelism = parse.GetValue(threads), IntervalKind = parse.GetValue(intervals) };
            FeatureTable? table = null;
            ProgressDisplay.Run(io, "features", progress => table = NeuronFeatureTable.FromDataset(dataset, options, progress, cancellationToken));
            var target = parse.GetRequiredValue(output);
            table!.Write(target);
            var within = options.IntervalKind is null ? "" : $" within '{options.IntervalKind}' intervals";
            io.Error.WriteLine($"wrote {target}: {table.RowCount} units x {table.Dimension} features{within}");
            return Task.FromResult(0);
        });
        return command;
    }
}
