using System.Text.Json;
using System.Text.Json.Nodes;
using MLNeuro.Loaders.IO;

namespace MLNeuro.Reporting;

/// <summary>
/// What a training run learned, step by step: the training loss of every step and a validation score where one was
/// measured. Written as <c>{stem}.json</c> (every point) and two PNGs, <c>{stem}.png</c> (the validation score against
/// step, or the loss when nothing was validated) and <c>{stem}-loss.png</c> (the training loss, averaged over at most
/// 200 equal runs of steps), so a user sees whether more steps would help.
/// </summary>
/// <example><code>
/// var curve = new LearningCurve("validation R²");
/// var progress = new Progress&lt;TrainingProgress&gt;(p => curve.Add(p.Step, p.Loss, p.ValidationScore));
/// // ... train with progress ...
/// curve.Write("run/", "learning-curve");
/// </code></example>
public sealed class LearningCurve
{
    private const int MaxLossPoints = 200;
    private readonly List<(int Step, double Loss)> _losses = new();
    private readonly List<(int Step, double Score)> _scores = new();

    /// <param name="validationMetric">What the validation score is (e.g. "validation R²", "validation loss"), for the JSON and the plot.</param>
    public LearningCurve(string validationMetric)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(validationMetric);
        ValidationMetric = validationMetric;
    }

    /// <summary>What the validation score is.</summary>
    /// <example><code>
    /// Console.WriteLine(curve.ValidationMetric);
    /// </code></example>
    public string ValidationMetric { get; }

    /// <summary>The recorded losses, by step.</summary>
    /// <example><code>
    /// double last = curve.Losses[^1].Loss;
    /// </code></example>
    public IReadOnlyList<(int Step, double Loss)> Losses => _losses;

    /// <summary>The recorded validation scores, by step.</summary>
    /// <example><code>
    /// var best = curve.Scores.MaxBy(s => s.Score);
    /// </code></example>
    public IReadOnlyList<(int Step, double Score)> Scores => _scores;

    /// <summary>Records one step: its loss and, when it was validated, the score.</summary>
    /// <exception cref="ArgumentException">Steps do not increase (a resumed run repeats none: the loop reports only new steps).</exception>
    /// <example><code>
    /// curve.Add(100, 0.42, 0.31);
    /// </code></example>
    public void Add(int step, double loss, double? validationScore)
    {
        if (_losses.Count > 0 && step <= _losses[^1].Step)
            throw new ArgumentException($"step {step} does not follow step {_losses[^1].Step}", nameof(step));
        _losses.Add((step, loss));
        if (validationScore is { } score) _scores.Add((step, score));
    }

    /// <summary>The curve as JSON: <c>validationMetric</c>, <c>loss</c> and <c>validation</c> as lists of {step, value} (null where not finite).</summary>
    /// <example><code>
    /// File.WriteAllText("curve.json", curve.ToJson());
    /// </code></example>
    public string ToJson()
    {
        JsonArray Points(IEnumerable<(int Step, double Value)> points) =>
            new(points.Select(p => (JsonNode?)new JsonObject { ["step"] = p.Step, ["value"] = ProbeReport.Number(p.Value) }).ToArray());
        var root = new JsonObject
        {
            ["validationMetric"] = ValidationMetric,
            ["loss"] = Points(_losses),
            ["validation"] = Points(_scores),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Writes <c>{stem}.json</c>, <c>{stem}.png</c> and <c>{stem}-loss.png</c> into <paramref name="folder"/> (created if needed), each atomically.</summary>
    /// <returns>The files written.</returns>
    /// <exception cref="InvalidOperationException">No step was recorded.</exception>
    /// <example><code>
    /// IReadOnlyList&lt;string&gt; files = curve.Write("out/run", "learning-curve");
    /// </code></example>
    public IReadOnlyList<string> Write(string folder, string stem = "learning-curve")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentException.ThrowIfNullOrWhiteSpace(stem);
        if (_losses.Count == 0) throw new InvalidOperationException("the learning curve has no step to write");
        if (File.Exists(folder)) throw new IOException($"learning-curve folder '{folder}' is a file; give a folder");
        Directory.CreateDirectory(folder);
        var json = Path.Combine(folder, stem + ".json");
        var main = Path.Combine(folder, stem + ".png");
        var lossPlot = Path.Combine(folder, stem + "-loss.png");
        AtomicFile.WriteAllText(json, ToJson());
        var loss = LossSeries();
        ReportPlots.WriteCurves(lossPlot, "training loss", "step", "loss", [loss], chance: null, logX: false);
        var scores = _scores.Where(s => double.IsFinite(s.Score)).ToArray();
        if (scores.Length > 0)
            ReportPlots.WriteCurves(main, ValidationMetric + " during training", "step", ValidationMetric,
                [new CurveSeries(ValidationMetric, scores.Select(s => (double)s.Step).ToArray(), scores.Select(s => s.Score).ToArray())],
                chance: null, logX: false);
        else
            ReportPlots.WriteCurves(main, "training loss (nothing was validated)", "step", "loss", [loss], chance: null, logX: false);
        return [json, main, lossPlot];
    }

    // Mean loss over equal runs of steps, so a 50,000-step run plots as 200 points; non-finite losses are skipped.
    private CurveSeries LossSeries()
    {
        var finite = _losses.Where(l => double.IsFinite(l.Loss)).ToArray();
        if (finite.Length == 0) throw new InvalidOperationException("every recorded loss is NaN or infinite");
        int runs = Math.Min(MaxLossPoints, finite.Length);
        var x = new double[runs];
        var y = new double[runs];
        for (int r = 0; r < runs; r++)
        {
            int from = (int)((long)r * finite.Length / runs), to = (int)((long)(r + 1) * finite.Length / runs);
            x[r] = finite[from..to].Average(l => (double)l.Step);
            y[r] = finite[from..to].Average(l => l.Loss);
        }
        return new CurveSeries(runs < finite.Length ? "loss (mean per run of steps)" : "loss", x, y);
    }
}
