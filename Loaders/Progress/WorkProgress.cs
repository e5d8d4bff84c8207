namespace MLNeuro.Loaders;

/// <summary>
/// The one progress record every long MLNeuro operation reports (import, generation, views, features, probing,
/// embedding, training, evaluation): what stage it is in and how far along. Operations that know more report a derived
/// record (training: loss, rate and ETA), so one <c>IProgress&lt;WorkProgress&gt;</c> can follow any of them.
/// </summary>
/// <param name="Stage">Human-readable stage, e.g. "reading spikes.csv", "session s3", "fold", "training".</param>
/// <param name="Done">Work done in this stage (sessions, rows, folds or steps, per the stage).</param>
/// <param name="Total">Total work of the stage, or 0 when unknown.</param>
/// <example><code>
/// var progress = new Progress&lt;WorkProgress&gt;(p => Console.WriteLine($"{p.Stage}: {p.Done}/{p.Total}"));
/// </code></example>
public record WorkProgress(string Stage, long Done, long Total);
