using System.CommandLine;
using MLNeuro.Cli.Output;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Synthetic;

namespace MLNeuro.Cli.Commands;

/// <summary><c>mlneuro synth --out DIR [--subjects N] [--sessions-per-subject N] [--units N] [--seconds S] [--seed N]</c>.</summary>
internal static class SynthCommand
{
    public static Command Create(CliIo io)
    {
        var defaults = new SyntheticOptions();
        var output = CommonOptions.Output();
        var overwrite = CommonOptions.Overwrite();
        var subjects = new Option<int>("--subjects") { Description = "Number of subjects.", DefaultValueFactory = _ => defaults.Subjects }.AtLeast(1);
        var sessions = new Option<int>("--sessions-per-subject") { Description = "Sessions per subject.", DefaultValueFactory = _ => defaults.SessionsPerSubject }.AtLeast(1);
        var units = new Option<int>("--units") { Description = "Units per session.", DefaultValueFactory = _ => defaults.UnitsPerSession }.AtLeast(1);
        var seconds = new Option<double>("--seconds") { Description = "Duration of each session in seconds.", DefaultValueFactory = _ => defaults.DurationSeconds }.AtLeast(0.0, exclusive: true);
        var seed = CommonOptions.Seed("Random seed: the same seed gives the same dataset.", defaults.Seed);
        var command = new Command("synth", "Generate a synthetic multi-subject dataset with cell types, regions, behaviour and trials (see docs/synthetic-data.md).")
        {
            output, overwrite, subjects, sessions, units, seconds, seed,
        };
        command.Guard([], [(output, OutputKind.Dataset)], overwrite);
        command.SetAction((parse, cancellationToken) =>
        {
            var options = new SyntheticOptions
            {
                Subjects = parse.GetValue(subjects),
                SessionsPerSubject = parse.GetValue(sessions),
                UnitsPerSession = parse.GetValue(units),
                DurationSeconds = parse.GetValue(seconds),
                Seed = parse.GetValue(seed),
            };
            var target = parse.GetRequiredValue(output);
            var writerOptions = new DatasetWriterOptions { Overwrite = parse.GetValue(overwrite) };
            ProgressDisplay.Run(io, "synth", progress => SyntheticDataset.Write(options, target, writerOptions, progress, cancellationToken));
            io.Error.WriteLine($"wrote {target}");
            return Task.FromResult(0);
        });
        return command;
    }
}
