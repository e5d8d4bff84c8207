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
        var strict = Strict();
        var command = new Command("nwb", "Import NWB 2.x files: units, electrode locations as brain_region, subject, behaviour, intervals and acquisition events.") { files, output, overwrite, strict };
        command.Guard([files], [(output, OutputKind.Dataset)], overwrite);
        command.SetAction((parse, cancellationToken) =>
        {
            var target = parse.GetRequiredValue(output);
            var writerOptions = new DatasetWriterOptions { Overwrite = parse.GetValue(overwrite) };
            ImportSummary? summary = null;
            ProgressDisplay.Run(io, "import nwb", progress =>
                summary = NwbImporter.Import(parse.GetRequiredValue(files), target, writerOptions, progress, parse.GetValue(strict), cancellationToken));
            Report(io, target, summary!);
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
        var strict = Strict();
        var command = new Command("csv", "Import CSV files of units, spikes and optional behaviour and intervals.")
        {
            units, spikes, behavior, intervals, session, subject, output, overwrite, strict,
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
            ImportSummary? summary = null;
            ProgressDisplay.Run(io, "import csv", progress =>
                summary = CsvImporter.Import(options, target, writerOptions, progress, parse.GetValue(strict), cancellationToken));
            Report(io, target, summary!);
            return Task.FromResult(0);
        });
        return command;
    }

    private static Option<bool> Strict() => new("--strict")
    {
        Description = "Fail (writing nothing) when a session has no spikes, instead of importing it with a warning.",
    };

    /// <summary>
    /// Says what was written, and warns about sessions without spikes: they import fine but usually mean the spikes
    /// file or its ids are not the ones intended, and every model would train on silence.
    /// </summary>
    private static void Report(CliIo io, string target, ImportSummary summary)
    {
        var empty = summary.SessionsWithoutSpikes;
        if (summary.TotalSpikes == 0)
            CliErrors.Warning(io.Error, $"the import holds no spikes at all ({Count(summary.Sessions.Count, "session")}); use --strict to fail instead");
        else if (empty.Count > 0)
            CliErrors.Warning(io.Error, $"{empty.Count} of {summary.Sessions.Count} sessions have no spikes: " +
                $"{string.Join(", ", empty.Take(10).Select(s => $"'{s.SessionId}' ({Path.GetFileName(s.SourceFile)})"))}{(empty.Count > 10 ? ", ..." : "")}; use --strict to fail instead");
        io.Error.WriteLine($"wrote {TerminalText.Safe(target)}: {Count(summary.Sessions.Count, "session")}, {Count(summary.Sessions.Sum(s => s.UnitCount), "unit")}, {Count(summary.TotalSpikes, "spike")}");
    }

    private static string Count(long n, string noun) => $"{n:N0} {noun}{(n == 1 ? "" : "s")}";
}
