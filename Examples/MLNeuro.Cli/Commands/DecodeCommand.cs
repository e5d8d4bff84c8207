using System.CommandLine;
using MLNeuro.Cli.Output;
using MLNeuro.Estimators;
using MLNeuro.Loaders;
using MLNeuro.Transforms;

namespace MLNeuro.Cli.Commands;

/// <summary>
/// <c>mlneuro decode train|eval|adapt</c>: behaviour decoding from spikes. <c>train</c> fits a decoder on the training part of
/// every session (by default the first 80% of each session's time, of which the last <c>--validation-fraction</c> is
/// held out and scored at the end) and writes a model artifact; <c>eval</c> scores an artifact on the evaluation part
/// (the rest of each session's time), printing R² per channel, optionally as JSON (<c>r2</c> = mean over channels of the
/// pooled R²) and as a PNG of true vs decoded traces; <c>adapt</c> brings a POYO decoder to new sessions.
/// </summary>
internal static partial class DecodeCommand
{
    public static Command Create(CliIo io) => new("decode", "Decode behaviour from spikes: train a decoder, evaluate it.") { Train(io), Eval(io), Adapt(io) };

    /// <summary>Prints the decoder's R² on the validation part, when the split has one (for choosing settings).</summary>
    private static void ReportValidation(CliIo io, IBehaviorDecoder decoder, IEnumerable<Recording> recordings, DecodingSplitOptions split)
    {
        var validation = recordings.Select(r => (r, DecodingSplit.Of(r, split).Validation)).Where(p => p.Validation.Count > 0).ToArray();
        if (validation.Length == 0) return;
        var score = DecodingEvaluator.Evaluate(decoder, validation);
        io.Error.WriteLine($"validation R² {score.Pooled.MeanR2:F3} ({Describe(score.Channels, score.Pooled.R2)})");
    }

    /// <summary>The recordings of the named sessions (every session when null), with spikes and behaviour.</summary>
    private static Recording[] ReadSessions(NeuralDataset dataset, IReadOnlyList<string>? ids) =>
        (ids ?? dataset.Sessions.Select(s => s.SessionId).ToArray()).Select(id => dataset.ReadRecording(id)).ToArray();

    private static string[]? ChosenSessions(NeuralDataset dataset, string? value)
    {
        if (value is null) return null;
        var ids = CommonOptions.List(value);
        var unknown = ids.Where(id => dataset.Sessions.All(s => s.SessionId != id)).ToArray();
        if (unknown.Length > 0) throw new ArgumentException($"--sessions: no session {string.Join(", ", unknown)} in the dataset");
        return ids;
    }

    private static string Describe(IReadOnlyList<string> channels, IReadOnlyList<double> r2) =>
        string.Join("  ", channels.Select((c, i) => $"{TerminalText.Safe(c)} {r2[i]:F3}")); // channel names come from the data
}
