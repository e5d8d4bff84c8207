using MLNeuro.Estimators;
using Spectre.Console;

namespace MLNeuro.Cli.Output;

/// <summary>Runs a training loop under a Spectre progress bar (on stderr) showing step, loss, steps/s and ETA.</summary>
internal static class TrainingDisplay
{
    public static void Run(CliIo io, string title, Action<IProgress<TrainingProgress>> work)
    {
        io.ProgressBars().Start(ctx =>
            {
                var task = ctx.AddTask(TerminalText.Markup(title), maxValue: 1);
                work(new Reporter(task, title));
                task.StopTask();
            });
    }

    /// <summary>Moves the bar and rewrites its description with the latest loss and rate. Thread-safe.</summary>
    private sealed class Reporter(ProgressTask task, string title) : IProgress<TrainingProgress>
    {
        private readonly object _gate = new();

        public void Report(TrainingProgress value)
        {
            lock (_gate) Show(task, title, value);
        }
    }

    /// <summary>Sets a bar to a training run's step, with its loss and rate in the description (not thread-safe).</summary>
    public static void Show(ProgressTask task, string title, TrainingProgress value)
    {
        task.MaxValue = Math.Max(1, value.TotalSteps);
        task.Value = value.Step;
        task.Description = TerminalText.Markup($"{title} {value.Step}/{value.TotalSteps} loss {value.Loss:F4} {value.StepsPerSecond:F1} steps/s");
    }
}
