using MLNeuro.Loaders.IO;
using System.CommandLine;
using MLNeuro.Cli.Output;
using MLNeuro.Estimators;
using MLNeuro.Loaders;
using MLNeuro.Reporting;
using MLNeuro.Transforms;

namespace MLNeuro.Cli.Commands;

/// <summary><c>decode eval</c>: R² of any decoder artifact on the evaluation part, as text, JSON and trace plots.</summary>
internal static partial class DecodeCommand
{
    private static Command Eval(CliIo io)
    {
        var modelPath = new Option<string>("--model") { Description = "Decoder artifact (from decode train).", Required = true };
        var data = CommonOptions.Data();
        var json = new Option<string?>("--json") { Description = "Write the scores as JSON here." };
        var plots = new Option<string?>("--plots") { Description = "Folder for one PNG per session of true vs decoded traces (first 60 s of the evaluation part)." };
        var unitsNotIn = new Option<string?>("--units-not-in") { Description = "Decode only from the units this POYO artifact lacks (as the decoder was trained with decode train --units-not-in)." };
        var sessions = new Option<string?>("--sessions") { Description = "Comma-separated sessions to evaluate (default: every session the model knows)." };
        var threads = CommonOptions.TorchThreads();
        var behavior = new DecodeInputArguments();
        var command = new Command("eval", "Score a decoder on the evaluation part (R² per channel).") { modelPath, data, json, plots, unitsNotIn, sessions, threads };
        behavior.AddTo(command);
        command.Guard([modelPath, data, unitsNotIn], [(json, OutputKind.File), (plots, OutputKind.FilesInto)]);
        command.SetAction(parse =>
        {
            var artifact = ModelArtifact.Read(parse.GetRequiredValue(modelPath));
            var dataset = NeuralDataset.Open(parse.GetRequiredValue(data));
            CommonOptions.StartTorch(parse, threads);
            using var loaded = DecoderArtifacts.Load(artifact, parse.GetRequiredValue(modelPath));
            IReadOnlyList<string> chosen = ChosenSessions(dataset, parse.GetValue(sessions)) ?? loaded.Sessions.Where(id => dataset.Sessions.Any(s => s.SessionId == id)).ToArray();
            if (chosen.Count == 0) throw new ArgumentException($"the dataset shares no session with the model (it knows {string.Join(", ", loaded.Sessions)})");
            var recordings = behavior.Apply(parse, ReadSessions(dataset, chosen), loaded.Decoder.Channels);
            if (parse.GetValue(unitsNotIn) is { } exclude) recordings = UnknownUnits(ModelArtifact.Read(exclude), recordings);
            var evaluation = DecodingEvaluator.Evaluate(loaded.Decoder, recordings.Select(r => (r, DecodingSplit.Of(r, loaded.Split).Evaluation)));
            foreach (var s in evaluation.Sessions)
                io.Out.WriteLine($"{TerminalText.Safe(s.SessionId)}\tR² {s.MeanR2:F3}\t{Describe(evaluation.Channels, s.R2)}");
            io.Out.WriteLine($"all\tR² {evaluation.Pooled.MeanR2:F3}\t{Describe(evaluation.Channels, evaluation.Pooled.R2)}");
            if (parse.GetValue(json) is { } jsonPath) AtomicFile.WriteAllText(jsonPath, DecodingReportFiles.ToJson(artifact.Manifest.ModelKind, evaluation));
            if (parse.GetValue(plots) is { } folder) DecodingReportFiles.WriteTracePlots(folder, artifact.Manifest.ModelKind, evaluation);
            return 0;
        });
        return command;
    }
}
