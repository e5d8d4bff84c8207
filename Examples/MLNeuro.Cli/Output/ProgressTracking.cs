using MLNeuro.Estimators;

namespace MLNeuro.Cli.Output;

/// <summary>Forwards training progress and remembers the latest report (for the summary line after the bar).</summary>
internal sealed class ProgressTracking(IProgress<TrainingProgress> inner, Action<TrainingProgress> remember) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value)
    {
        remember(value);
        inner.Report(value);
    }
}
