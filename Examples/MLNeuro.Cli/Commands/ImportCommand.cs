using System.CommandLine;
using MLNeuro.Cli.Output;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Import;

namespace MLNeuro.Cli.Commands;

/// <summary><c>mlneuro import nwb FILE... --out DIR</c> and <c>mlneuro import csv --units F --spikes F ... --out DIR</c>.</summary>
internal static class ImportCommand
{
    public static Command Create(CliIo io) =>
        new("import", "Import recordings into an MLNeuro dataset folder (atomic: a failed import leaves no output).")
        {
            Nwb(io),
            Csv(io),
        };

    private static Command Nwb(CliIo io)
    {
        var files = new Argument<string[]>("FILE") { Description = "NWB 2.x files (HDF5), one session each.", Arity = ArgumentArity.OneOrMore };
        var output = CommonOptions.Output();
        var overwrite = CommonOptions.Overwrite();
        var command = new Command("nwb", "Import NWB 2.x files: units, electrode locations as brain_region, subject, behaviour, intervals.") { files, output, overwrite };
        command.Guard([files], [(output, OutputKind.Dataset)], overwrite);
        command.SetAction((parse, cancellationToken) =>
        {
            var target = parse.GetRequiredValue(output);
            var writerOptions = new DatasetWriterOptions { Overwrite = parse.GetValue(overwrite) };
            ProgressDisplay.Run(io, "import nwb", progress => NwbImporter.Import(parse.GetRequiredValue(files), target, writerOptions, progress, cancellationToken));
            io.Error.WriteLine($"wrote {target}");
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command Csv(CliIo io)
    {
        var units = new Option<string>("--units") { Description = "units.csv: unit_id, optional session_id, subject_id, brain_region, cell_type, other columns kept.", Required = true };
        var spikes = new Option<string>("--spikes") { Description = "spikes.csv: unit_id, timestamp (s), optional session_id; any order.", Required = true };
        var behavior = new Option<string?>("--behavior") { Description = "Behaviour CSV: timestamp, optional session_id, numeric channels." };
        var intervals = new Option<string?>("--intervals") { Description = "Intervals CSV: start, stop (or end), optional session_id, kind, label." };
        var session = new Option<string?>("--session") { Description = "Session id when the files have no session_id column (default: spikes file name)." };
        var subject = new Option<string?>("--subject") { Description = "Subject id when units.csv has no subject_id column (default: unknown)." };
        var output = CommonOptions.Output();
        var overwrite = CommonOptions.Overwrite();
        var command = new Command("csv", "Import CSV files of units, spikes and optional behaviour and intervals.")
        {
            units, spikes, behavior, intervals, session, subject, output, overwrite,
        };
        command.Guard([units, spikes, behavior, intervals], [(output, OutputKind.Dataset)], overwrite);
        command.SetAction((parse, cancellationToken) =>
        {
            var options = new CsvImportOptions
            {
                UnitsFile = parse.GetRequiredValue(units),
                SpikesFile = parse.GetRequiredValue(spikes),
                BehaviorFile = parse.GetValue(behavior),
                IntervalsFile = parse.GetValue(intervals),
                SessionId = parse.GetValue(session),
                SubjectId = parse.GetValue(subject),
            };
            var target = parse.GetRequiredValue(output);
            var writerOptions = new DatasetWriterOptions { Overwrite = parse.GetValue(overwrite) };
            ProgressDisplay.Run(io, "import csv", progress => CsvImporter.Import(options, target, writerOptions, progress, cancellationToken));
            io.Error.WriteLine($"wrote {target}");
            return Task.FromResult(0);
        });
        return command;
    }
}
