namespace MLNeuro.Loaders;

/// <summary>
/// How much of a recording's time and spikes lie inside the intervals of one kind. Some datasets hold spikes only
/// inside trials (an export that kept trial epochs, a recording paused between trials): windows that cross the gaps
/// then see a silence the animal never had. <see cref="LooksIntervalOnly"/> flags that case, so a command can use or
/// suggest <c>--intervals KIND</c> instead of tiling the whole session.
/// </summary>
/// <param name="Kind">The interval kind measured.</param>
/// <param name="Spikes">Spikes in the measured sessions.</param>
/// <param name="SpikesInside">Of those, spikes inside an interval of the kind (overlapping intervals count once).</param>
/// <param name="Seconds">Total domain length of the measured sessions.</param>
/// <param name="SecondsInside">Time covered by the intervals.</param>
/// <example><code>
/// var coverage = IntervalCoverage.OfDataset(NeuralDataset.Open("data/steinmetz"), "trial");
/// if (coverage is { LooksIntervalOnly: true }) Console.WriteLine($"spikes only inside trials: use --intervals trial ({coverage})");
/// </code></example>
public sealed record IntervalCoverage(string Kind, long Spikes, long SpikesInside, double Seconds, double SecondsInside)
{
    /// <summary>Sessions <see cref="OfDataset"/> reads by default: enough to see the pattern without reading a large dataset.</summary>
    public const int DefaultSessionsChecked = 3;

    /// <summary>Share of the spikes inside the intervals (NaN without spikes).</summary>
    public double SpikeFraction => Spikes > 0 ? (double)SpikesInside / Spikes : double.NaN;

    /// <summary>Share of the time the intervals cover (NaN for an empty domain).</summary>
    public double TimeFraction => Seconds > 0 ? SecondsInside / Seconds : double.NaN;

    /// <summary>
    /// True when the intervals leave at least 10% of the time uncovered yet hold at least 99.5% of the spikes: a
    /// continuously recorded population fires between trials too, so nearly all spikes inside means the gaps hold no data.
    /// </summary>
    public bool LooksIntervalOnly => Spikes > 0 && TimeFraction <= 0.9 && SpikeFraction >= 0.995;

    /// <summary>"99.9% of spikes in 41.0% of the time inside 'trial' intervals".</summary>
    public override string ToString() =>
        $"{SpikeFraction * 100:F1}% of spikes in {TimeFraction * 100:F1}% of the time inside '{Kind}' intervals";

    /// <summary>The coverage of one recording (needs its spikes and intervals).</summary>
    /// <example><code>
    /// var coverage = IntervalCoverage.Of(recording, "trial");
    /// </code></example>
    public static IntervalCoverage Of(Recording recording, string kind)
    {
        ArgumentNullException.ThrowIfNull(recording);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        long inside = 0;
        double covered = 0;
        foreach (var (start, end) in Merged(recording.Intervals.OfKind(kind), recording.StartSeconds, recording.EndSeconds))
        {
            inside += recording.Spikes.Slice(start, end).Count;
            covered += end - start;
        }
        return new IntervalCoverage(kind, recording.Spikes.Count, inside, recording.DurationSeconds, covered);
    }

    /// <summary>
    /// The coverage pooled over the first <paramref name="maxSessions"/> sessions that have intervals of
    /// <paramref name="kind"/>; null when no session has any.
    /// </summary>
    /// <example><code>
    /// IntervalCoverage? coverage = IntervalCoverage.OfDataset(dataset, "trial");
    /// </code></example>
    public static IntervalCoverage? OfDataset(NeuralDataset dataset, string kind, int maxSessions = DefaultSessionsChecked)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSessions, 1);
        IntervalCoverage? total = null;
        int measured = 0;
        foreach (var session in dataset.Sessions)
        {
            // Intervals come with RecordingParts.None; spikes are read only for sessions that have the kind.
            if (dataset.ReadRecording(session.SessionId, RecordingParts.None).Intervals.OfKind(kind).Count == 0) continue;
            var one = Of(dataset.ReadRecording(session.SessionId, RecordingParts.Spikes), kind);
            total = total is null ? one : total with
            {
                Spikes = total.Spikes + one.Spikes, SpikesInside = total.SpikesInside + one.SpikesInside,
                Seconds = total.Seconds + one.Seconds, SecondsInside = total.SecondsInside + one.SecondsInside,
            };
            if (++measured == maxSessions) break;
        }
        return total;
    }

    // The union of the intervals, clipped to the domain, as disjoint [start, end) runs in time order.
    private static List<(double Start, double End)> Merged(IntervalSet intervals, double domainStart, double domainEnd)
    {
        var runs = new List<(double Start, double End)>();
        foreach (var interval in intervals.OrderBy(i => i.Start))
        {
            double start = Math.Max(interval.Start, domainStart), end = Math.Min(interval.End, domainEnd);
            if (!(end > start)) continue;
            if (runs.Count > 0 && start <= runs[^1].End) runs[^1] = (runs[^1].Start, Math.Max(runs[^1].End, end));
            else runs.Add((start, end));
        }
        return runs;
    }
}
