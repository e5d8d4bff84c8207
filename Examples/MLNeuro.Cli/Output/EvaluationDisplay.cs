using MLNeuro.Estimators;
using MLNeuro.Reporting;
using Spectre.Console;

namespace MLNeuro.Cli.Output;

/// <summary>
/// Runs the evaluation protocol under two Spectre bars (on stderr): the pretraining runs done out of the total, and the
/// current run's steps with its loss and rate; then prints the scores as a Spectre table (the report files are
/// <see cref="NuclrEvaluationReportFiles"/>).
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

    /// <summary>Prints the balanced accuracy (macro F1) of each method in each setting as one table.</summary>
    public static void Print(IAnsiConsole console, NuclrEvaluationReport report)
    {
        var chance = report.Scores[0].Metrics.ChanceLevel;
        var table = new Table().Title(TerminalText.Markup($"NuCLR evaluation of '{report.Options.Label}' (balanced accuracy, chance {NuclrEvaluationReportFiles.F(chance)})"))
            .AddColumns("method", "transductive", $"zero-shot (leave one {report.Options.Group} out)");
        foreach (var method in new[] { NuclrEvaluation.Nuclr, NuclrEvaluation.Features })
            table.AddRow(method, NuclrEvaluationReportFiles.Cell(report.Score(method, NuclrEvaluation.Transductive)), NuclrEvaluationReportFiles.Cell(report.Score(method, NuclrEvaluation.ZeroShot)));
        console.Write(table);
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
