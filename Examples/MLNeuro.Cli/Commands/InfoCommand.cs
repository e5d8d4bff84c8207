using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
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
            if (parse.GetValue(json)) io.Out.WriteLine(ToJson(dataset, summary));
            else PrintTables(io.Data, dataset, summary);
            return 0;
        });
        return command;
    }

    internal static string ToJson(NeuralDataset dataset, DatasetSummary s)
    {
        var node = new JsonObject
        {
            ["path"] = Path.GetFullPath(dataset.Path),
            ["format_version"] = dataset.Manifest.FormatVersion,
            ["sessions"] = s.Sessions,
            ["subjects"] = s.Subjects,
            ["units"] = s.Units,
            ["spikes"] = s.Spikes,
            ["duration_s"] = s.DurationSeconds,
            ["behavior_channels"] = new JsonArray(s.BehaviorChannels.Select(c => (JsonNode)c!).ToArray()),
            ["interval_kinds"] = ToObject(s.IntervalKinds),
            ["cell_types"] = ToObject(s.CellTypes),
            ["brain_regions"] = ToObject(s.BrainRegions),
            ["session_list"] = new JsonArray(dataset.Sessions.Select(e => (JsonNode)new JsonObject
            {
                ["session_id"] = e.SessionId,
                ["subject_id"] = e.SubjectId,
                ["units"] = e.UnitCount,
                ["spikes"] = e.SpikeCount,
                ["start_s"] = e.StartSeconds,
                ["end_s"] = e.EndSeconds,
            }).ToArray()),
            ["provenance"] = ToObject(dataset.Manifest.Provenance),
        };
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    private static JsonObject ToObject<T>(IReadOnlyDictionary<string, T> map)
    {
        var o = new JsonObject();
        foreach (var (k, v) in map) o[k] = JsonValue.Create(v);
        return o;
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
