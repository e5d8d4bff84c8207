using System.Text.Json;
using System.Text.Json.Nodes;
using MLNeuro.Estimators;
using MLNeuro.Loaders;
using MLNeuro.Loaders.IO;
using MLNeuro.Transforms;

namespace MLNeuro.Reporting;

/// <summary>
/// What <c>mlneuro decode eval</c> writes for a decoder's evaluation: the scores as JSON (<c>--json</c>) and one PNG of
/// true vs decoded traces per session (<c>--plots</c>).
/// </summary>
/// <example><code>
/// DecodingEvaluation evaluation = DecodingEvaluator.Evaluate(decoder, recordings, split);
/// File.WriteAllText("scores.json", DecodingReportFiles.ToJson("poyo", evaluation));
/// DecodingReportFiles.WriteTracePlots("plots", "poyo", evaluation);
/// </code></example>
public static class DecodingReportFiles
{
    /// <summary>
    /// The scores as one JSON object: pooled <c>r2</c>, <c>samples</c> and per-channel R², the <c>model</c> kind,
    /// <c>meanSessionR2</c>, and the same scores per session under <c>sessions</c>. An R² that is undefined (a channel
    /// constant over the evaluation part, no session) is <c>null</c>: JSON has no NaN.
    /// </summary>
    public static string ToJson(string modelKind, DecodingEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        JsonObject Score(DecodingScore s) => new()
        {
            ["r2"] = Number(s.MeanR2),
            ["samples"] = s.Samples,
            ["channels"] = new JsonObject(evaluation.Channels.Select((c, i) => KeyValuePair.Create(c, Number(s.R2[i])))),
        };
        var root = Score(evaluation.Pooled);
        root["model"] = modelKind;
        root["meanSessionR2"] = Number(evaluation.MeanSessionR2);
        root["sessions"] = new JsonObject(evaluation.Sessions.Select(s => KeyValuePair.Create(s.SessionId!, (JsonNode?)Score(s))));
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    // As every MLNeuro report: rounded to 6 decimals, and null where undefined.
    private static JsonNode? Number(double value) => ProbeReport.Number(value);

    /// <summary>
    /// Writes one PNG per session (the first 60 s of its evaluation part) into <paramref name="folder"/> and returns
    /// the files. Each file is named after its session id made file-system safe as the dataset format does (a session id
    /// such as <c>../x</c> never writes outside the folder; two ids that map to one name get <c>-2</c>, <c>-3</c>...).
    /// </summary>
    public static IReadOnlyList<string> WriteTracePlots(string folder, string modelKind, DecodingEvaluation evaluation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(evaluation);
        if (File.Exists(folder)) throw new IOException($"plots folder '{folder}' is a file; give a folder");
        Directory.CreateDirectory(folder);
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var written = new List<string>();
        foreach (var trace in evaluation.Traces)
        {
            var stem = DatasetLayout.FileStem(trace.SessionId);
            for (int k = 2; !used.Add(stem); k++) stem = $"{DatasetLayout.FileStem(trace.SessionId)}-{k}";
            var path = Path.Combine(folder, stem + ".png");
            ReportPlots.WriteDecodedTraces(path, $"{modelKind}: {trace.SessionId}, evaluation part", trace, evaluation.Channels);
            written.Add(path);
        }
        return written;
    }
}
