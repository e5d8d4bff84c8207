using MLNeuro.Loaders.Import;

namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// Realistic synthetic spiking recordings, MLNeuro's built-in data for examples and tests: several subjects and
/// sessions, units in several brain regions driven by region-specific latent dynamics, four cell types with distinct
/// spike statistics, a foraging trajectory that a third of the units are tuned to, and run/rest trials.
/// docs/synthetic-data.md describes the model and what can and cannot be learned from it.
/// </summary>
/// <example><code>
/// var options = new SyntheticOptions { Subjects = 2, DurationSeconds = 120 };
/// Recording first = SyntheticDataset.GenerateSession(options, subject: 0, session: 0);   // "sub-01_ses-01"
/// SyntheticDataset.Write(options, "data/synthetic");                                     // a dataset folder
/// </code></example>
public static class SyntheticDataset
{
    /// <summary>Name and version of the generative model, stored in the provenance of written datasets.</summary>
    public const string GeneratorName = "MLNeuro.Synthetic/2";

    /// <summary>
    /// All sessions, subject by subject, generated lazily one at a time (only the current one is in memory).
    /// Throws <see cref="ArgumentOutOfRangeException"/> naming a bad option on the first enumeration.
    /// </summary>
    public static IEnumerable<Recording> Generate(SyntheticOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Enumerate(options);
    }

    private static IEnumerable<Recording> Enumerate(SyntheticOptions options)
    {
        for (int subject = 0; subject < options.Subjects; subject++)
            for (int session = 0; session < options.SessionsPerSubject; session++)
                yield return SessionSynthesizer.Generate(options, subject, session, CancellationToken.None);
    }

    /// <summary>
    /// One session, identical to the one <see cref="Generate"/> yields for it.
    /// </summary>
    /// <param name="options">The generator settings.</param>
    /// <param name="subject">0-based subject index (0 gives "sub-01"), below <see cref="SyntheticOptions.Subjects"/>.</param>
    /// <param name="session">0-based session index (0 gives "ses-01"), below <see cref="SyntheticOptions.SessionsPerSubject"/>.</param>
    public static Recording GenerateSession(SyntheticOptions options, int subject, int session)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(subject);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(subject, options.Subjects);
        ArgumentOutOfRangeException.ThrowIfNegative(session);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(session, options.SessionsPerSubject);
        return SessionSynthesizer.Generate(options, subject, session, CancellationToken.None);
    }

    /// <summary>
    /// Generates every session and writes them as a dataset folder through <see cref="DatasetWriter"/> (atomically: a
    /// cancelled or failed run leaves nothing). The provenance records the generator, the seed and every option, on top of
    /// any entries in <paramref name="writerOptions"/>.
    /// </summary>
    /// <param name="options">The generator settings.</param>
    /// <param name="outputFolder">The dataset folder to create.</param>
    /// <param name="writerOptions">Overwrite and row-group settings; null for the defaults.</param>
    /// <param name="progress">Receives ("generating sub-01_ses-01", sessions done, sessions in total) before each session and a final report.</param>
    /// <param name="ct">Checked between sessions and between units.</param>
    public static void Write(SyntheticOptions options, string outputFolder, DatasetWriterOptions? writerOptions = null,
        IProgress<WorkProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        writerOptions ??= new DatasetWriterOptions();
        var provenance = new Dictionary<string, string>(StringComparer.Ordinal);
        provenance["generator"] = GeneratorName;
        provenance["seed"] = options.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in options.Describe()) provenance[$"synthetic.{key}"] = value;
        var effective = writerOptions.WithSourceProvenance(provenance);

        long total = (long)options.Subjects * options.SessionsPerSubject, done = 0;
        using var writer = DatasetWriter.Create(outputFolder, effective);
        for (int subject = 0; subject < options.Subjects; subject++)
        {
            for (int session = 0; session < options.SessionsPerSubject; session++)
            {
                ct.ThrowIfCancellationRequested();
                progress?.Report(new WorkProgress($"generating {SessionSynthesizer.SessionId(subject, session)}", done, total));
                writer.WriteRecording(SessionSynthesizer.Generate(options, subject, session, ct));
                done++;
            }
        }
        ct.ThrowIfCancellationRequested();
        writer.Commit();
        progress?.Report(new WorkProgress("done", done, total));
    }
}
