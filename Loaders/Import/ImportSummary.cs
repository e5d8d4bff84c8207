namespace MLNeuro.Loaders.Import;

/// <summary>
/// What an import wrote, session by session, so a caller can flag a suspicious result such as a session without
/// spikes (a wrong spikes file, or ids that match no unit). Returned by <see cref="CsvImporter.Import"/> and
/// <see cref="NwbImporter.Import"/>.
/// </summary>
public sealed class ImportSummary
{
    /// <summary>A summary of the given sessions, in the order they were written.</summary>
    public ImportSummary(IReadOnlyList<ImportedSession> sessions)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        Sessions = sessions.ToArray();
    }

    /// <summary>The sessions written, in order.</summary>
    public IReadOnlyList<ImportedSession> Sessions { get; }

    /// <summary>Spikes over all sessions.</summary>
    public long TotalSpikes => Sessions.Sum(s => s.SpikeCount);

    /// <summary>The sessions that hold no spike at all, in order (empty when every session has spikes).</summary>
    public IReadOnlyList<ImportedSession> SessionsWithoutSpikes => Sessions.Where(s => s.SpikeCount == 0).ToArray();

    internal static ImportedSession Describe(Recording recording, string sourceFile) =>
        new(recording.SessionId, sourceFile, recording.Units.Count, recording.Spikes.Count);

    /// <summary>
    /// Throws, before anything is committed, when <paramref name="requireSpikes"/> is set and a session has no spikes:
    /// the message names the sessions and the file they came from.
    /// </summary>
    internal void CheckSpikes(bool requireSpikes)
    {
        if (!requireSpikes) return;
        var empty = SessionsWithoutSpikes;
        if (empty.Count == 0) return;
        throw new DataFormatException(empty[0].SourceFile,
            $"{Describe(empty)} no spikes; nothing was written (check the spikes' unit and session ids, or import without requiring spikes)");
    }

    /// "session 'a' has" or "2 sessions ('a', 'b') have", for messages.
    private static string Describe(IReadOnlyList<ImportedSession> sessions)
    {
        const int Shown = 5;
        var ids = string.Join(", ", sessions.Take(Shown).Select(s => $"'{s.SessionId}'")) + (sessions.Count > Shown ? ", ..." : "");
        return sessions.Count == 1 ? $"session {ids} has" : $"{sessions.Count} sessions ({ids}) have";
    }
}

/// <summary>One session an import wrote.</summary>
/// <param name="SessionId">The session id.</param>
/// <param name="SourceFile">The file the session's spikes came from (spikes.csv, or the session's NWB file).</param>
/// <param name="UnitCount">Units in the session.</param>
/// <param name="SpikeCount">Spikes in the session.</param>
public sealed record ImportedSession(string SessionId, string SourceFile, int UnitCount, long SpikeCount);
