using System.CommandLine;
using System.Globalization;
using MLNeuro.Cli.Output;
using MLNeuro.Loaders;
using Spectre.Console;

namespace MLNeuro.Cli.Commands;

/// <summary><c>mlneuro info DIR [--json]</c>: what a dataset holds, from its index files only.</summary>
internal static class InfoCommand
{
    public static Command Create(CliIo io)
    {
        var folder = new Argument<string>("DIR") { Description = "Dataset folder (written by synth or import)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout instead of tables." };
        var command = new Command("info", "Describe a dataset: sessions, subjects, units, spikes, duration, behaviour, labels.") { folder, json };
        command.SetAction(parse =>
        {
            var dataset = NeuralDataset.Open(parse.GetRequiredValue(folder));
            var summary = DatasetSummary.Of(dataset);
            if (parse.GetValue(json)) io.Out.WriteLine(summary.ToJson(dataset));
            else PrintTables(io.Data, dataset, summary);
            return 0;
        });
        return command;
    }

    private static void PrintTables(IAnsiConsole console, NeuralDataset dataset, DatasetSummary s)
    {
        var c = CultureInfo.InvariantCulture;
        var overview = new Table().Title(TerminalText.Markup(Path.GetFullPath(dataset.Path))).AddColumns("", "");
        overview.HideHeaders();
        overview.AddRow("sessions", s.Sessions.ToString(c));
        overview.AddRow("subjects", s.Subjects.ToString(c));
        overview.AddRow("units", s.Units.ToString("N0", c));
        overview.AddRow("spikes", s.Spikes.ToString("N0", c));
        overview.AddRow("duration", $"{s.DurationSeconds.ToString("F1", c)} s");
        overview.AddRow("behaviour", TerminalText.Markup(s.BehaviorChannels.Count == 0 ? "-" : string.Join(", ", s.BehaviorChannels)));
        overview.AddRow("intervals", TerminalText.Markup(Counts(s.IntervalKinds)));
        overview.AddRow("cell types", TerminalText.Markup(Counts(s.CellTypes)));
        overview.AddRow("brain regions", TerminalText.Markup(Counts(s.BrainRegions)));
        console.Write(overview);

        var sessions = new Table().AddColumns("session", "subject", "units", "spikes", "start (s)", "end (s)", "rate (Hz/unit)");
        foreach (var e in dataset.Sessions.Take(50))
        {
            double rate = e.UnitCount == 0 || e.DurationSeconds <= 0 ? 0 : e.SpikeCount / (double)e.UnitCount / e.DurationSeconds;
            sessions.AddRow(TerminalText.Markup(e.SessionId), TerminalText.Markup(e.SubjectId), e.UnitCount.ToString(c), e.SpikeCount.ToString("N0", c),
                e.StartSeconds.ToString("F2", c), e.EndSeconds.ToString("F2", c), rate.ToString("F2", c));
        }
        if (dataset.Sessions.Count > 50) sessions.Caption($"first 50 of {dataset.Sessions.Count} sessions");
        console.Write(sessions);
    }

    private static string Counts(IReadOnlyDictionary<string, int> map) =>
        map.Count == 0 ? "-" : string.Join(", ", map.Select(kv => $"{kv.Key} {kv.Value}"));
}
