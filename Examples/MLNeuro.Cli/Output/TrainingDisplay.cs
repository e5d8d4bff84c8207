using MLNeuro.Estimators;
using MLNeuro.Reporting;
using Spectre.Console;

namespace MLNeuro.Cli.Output;

/// <summary>Runs a training loop under a Spectre progress bar (on stderr) showing step, loss, steps/s and ETA.</summary>
internal static class TrainingDisplay
{
    /// <param name="io">Where the bar goes.</param>
    /// <param name="title">The bar's title.</param>
    /// <param name="work">The training, given the progress sink.</param>
    /// <param name="curve">Records every report's loss and validation score when given (<c>--learning-curve</c>).</param>
    public static void Run(CliIo io, string title, Action<IProgress<TrainingProgress>> work, LearningCurve? curve = null)
    {
        io.ProgressBars().Start(ctx =>
            {
                var task = ctx.AddTask(TerminalText.Markup(title), maxValue: 1);
                work(new Reporter(task, title, curve));
                task.StopTask();
            });
    }

    /// <summary>Moves the bar and rewrites its description with the latest loss and rate; records the curve. Thread-safe.</summary>
    private sealed class Reporter(ProgressTask task, string title, LearningCurve? curve) : IProgress<TrainingProgress>
    {
        private readonly object _gate = new();

        public void Report(TrainingProgress value)
        {
            lock (_gate)
            {
                Show(task, title, value);
                // A stage that restarts its step count (adaptation's second stage) is not drawn over the first.
                if (curve is not null && (curve.Losses.Count == 0 || value.Step > curve.Losses[^1].Step))
                    curve.Add(value.Step, value.Loss, value.ValidationScore);
            }
        }
    }

    /// <summary>"3h 05m", "12m 40s" or "35s": the remaining time at the current rate.</summary>
    internal static string Remaining(TimeSpan eta) =>
        eta.TotalHours >= 1 ? $"{(int)eta.TotalHours}h {eta.Minutes:D2}m" : eta.TotalMinutes >= 1 ? $"{eta.Minutes}m {eta.Seconds:D2}s" : $"{Math.Max(0, eta.Seconds)}s";

    /// <summary>Sets a bar to a training run's step, with its loss and rate in the description (not thread-safe).</summary>
    public static void Show(ProgressTask task, string title, TrainingProgress value)
    {
        task.MaxValue = Math.Max(1, value.TotalSteps);
        task.Value = value.Step;
        task.Description = TerminalText.Markup($"{title} {value.Step}/{value.TotalSteps} loss {value.Loss:F4} {value.StepsPerSecond:F1} steps/s, {Remaining(value.Eta)} left");
    }
}
