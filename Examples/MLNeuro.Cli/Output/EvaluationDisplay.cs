using MLNeuro.Estimators;
using Spectre.Console;

namespace MLNeuro.Cli.Output;

/// <summary>
/// Runs the evaluation protocol under two Spectre bars (on stderr): the pretraining runs done out of the total, and the
/// current run's steps with its loss and rate.
/// </summary>
internal static class EvaluationDisplay
{
    public static void Run(CliIo io, Action<IProgress<NuclrEvaluationProgress>> work)
    {
        io.ProgressBars().Start(ctx =>
            {
                var runs = ctx.AddTask("evaluate nuclr", maxValue: 1);
                var steps = ctx.AddTask("pretraining", maxValue: 1);
                work(new Reporter(runs, steps));
                runs.Value = runs.MaxValue;
                steps.Value = steps.MaxValue;
                runs.StopTask();
                steps.StopTask();
            });
    }

    /// <summary>Moves both bars. Thread-safe.</summary>
    private sealed class Reporter(ProgressTask runs, ProgressTask steps) : IProgress<NuclrEvaluationProgress>
    {
        private readonly object _gate = new();

        public void Report(NuclrEvaluationProgress value)
        {
            lock (_gate)
            {
                runs.MaxValue = Math.Max(1, value.PretrainingsTotal);
                runs.Value = value.PretrainingsDone;
                runs.Description = TerminalText.Markup($"evaluate nuclr: {value.Stage}");
                if (value.Training is { } t) TrainingDisplay.Show(steps, "step", t);
            }
        }
    }
}
