using MLNeuro.Loaders;
using Spectre.Console;

namespace MLNeuro.Cli.Output;

/// <summary>Runs long work under a Spectre progress bar (on stderr), one bar per stage the work reports.</summary>
internal static class ProgressDisplay
{
    public static void Run(CliIo io, string title, Action<IProgress<WorkProgress>> work)
    {
        io.ProgressBars().Start(ctx =>
            {
                var reporter = new StageReporter(ctx, title);
                work(reporter);
                reporter.CompleteAll();
            });
    }

    /// <summary>Maps each stage to its own task; a new stage completes the previous one. Thread-safe.</summary>
    private sealed class StageReporter(ProgressContext context, string title) : IProgress<WorkProgress>
    {
        private readonly object _gate = new();
        private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);
        private ProgressTask? _current;

        public void Report(WorkProgress value)
        {
            lock (_gate)
            {
                if (!_tasks.TryGetValue(value.Stage, out var task))
                {
                    Complete(_current);
                    task = context.AddTask(TerminalText.Markup($"{title}: {value.Stage}"), maxValue: Math.Max(1, value.Total));
                    _tasks[value.Stage] = task;
                }
                _current = task;
                if (value.Total > 0) task.MaxValue = value.Total;
                else task.IsIndeterminate = true;
                task.Value = value.Done;
            }
        }

        public void CompleteAll()
        {
            lock (_gate)
                foreach (var task in _tasks.Values) Complete(task);
        }

        private static void Complete(ProgressTask? task)
        {
            if (task is null) return;
            task.IsIndeterminate = false;
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }
}
