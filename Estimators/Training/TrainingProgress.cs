using MLNeuro.Loaders;

namespace MLNeuro.Estimators;

/// <summary>One report of the training loop, sent after every optimizer step: a <see cref="WorkProgress"/> of stage "training" (Done = steps) with the loss, rate and ETA.</summary>
/// <param name="Step">Steps completed so far (1-based; counts steps of the run being resumed too).</param>
/// <param name="TotalSteps">Steps the run will take in total.</param>
/// <param name="Loss">Loss of the step just taken.</param>
/// <param name="StepsPerSecond">Steps per second since this process started (or resumed) training.</param>
/// <param name="Eta">Estimated time to finish at that rate.</param>
/// <example><code>
/// var progress = new Progress&lt;TrainingProgress&gt;(p => Console.WriteLine($"{p.Step}/{p.TotalSteps} loss {p.Loss:F4} ETA {p.Eta:mm\:ss}"));
/// </code></example>
public sealed record TrainingProgress(int Step, int TotalSteps, double Loss, double StepsPerSecond, TimeSpan Eta)
    : WorkProgress("training", Step, TotalSteps)
{
    /// <summary>
    /// The model's validation score after this step (higher is better; POYO: mean R² on the validation part) when
    /// <see cref="TrainingOptions.ValidationEverySteps"/> asked for one at this step; null otherwise.
    /// </summary>
    public double? ValidationScore { get; init; }
}
