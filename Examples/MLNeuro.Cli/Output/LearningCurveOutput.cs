using MLNeuro.Reporting;

namespace MLNeuro.Cli.Output;

/// <summary>
/// The learning curve a training command records when <c>--learning-curve DIR</c> is given: the progress reports feed
/// it, and <see cref="Write"/> puts the JSON and PNGs in the folder once training ends. A resumed run records the
/// steps it runs (the checkpoint keeps weights, not the earlier curve).
/// </summary>
internal sealed class LearningCurveOutput(string? folder, string validationMetric)
{
    /// <summary>The curve being recorded; null when the command was not asked for one.</summary>
    public LearningCurve? Curve { get; } = folder is null ? null : new LearningCurve(validationMetric);

    /// <summary>Writes the curve (when asked for and not empty) and says where.</summary>
    public void Write(CliIo io)
    {
        if (Curve is null || folder is null || Curve.Losses.Count == 0) return;
        Curve.Write(folder);
        io.Error.WriteLine($"wrote learning curve to {folder} ({Curve.Losses.Count} steps, {Curve.Scores.Count} validated)");
    }
}
