namespace MLNeuro.Loaders.Tests;

/// <summary>A three-session dataset written once for the view tests: different domains, trials in two sessions, none in the third.</summary>
public sealed class ViewTestData : IDisposable
{
    private readonly TempFolder _folder = new();

    public ViewTestData()
    {
        var random = new Random(123);
        Recordings = new[]
        {
            Make(random, "s1", "m1", 0, 10, 4, new[] { (1.0, 3.0), (4.0, 4.5), (6.0, 9.5) }),
            Make(random, "s2", "m1", 2, 12, 3, new[] { (2.5, 5.0), (7.0, 12.0) }),
            Make(random, "s3", "m2", 0, 5, 2, Array.Empty<(double, double)>()),
        };
        using (var writer = DatasetWriter.Create(_folder.Combine("ds")))
        {
            foreach (var r in Recordings) writer.WriteRecording(r);
            writer.Commit();
        }
        Dataset = NeuralDataset.Open(_folder.Combine("ds"));
    }

    public Recording[] Recordings { get; }

    public NeuralDataset Dataset { get; }

    public Recording Recording(string sessionId) => Recordings.Single(r => r.SessionId == sessionId);

    private static Recording Make(Random random, string session, string subject, double start, double end, int units, (double, double)[] trials)
    {
        var b = new RecordingBuilder(session, subject);
        string[] regions = { "CA1", "CA3", "DG" };
        for (int u = 0; u < units; u++)
        {
            var meta = new Dictionary<string, string?> { ["depth_um"] = u % 2 == 0 ? $"{100 * (u + 1)}" : null, ["tetrode"] = null };
            b.AddUnit(new UnitInfo($"{session}_u{u}", u == 1 ? null : regions[u % 3], u == 0 ? "pyramidal" : null, meta));
            // The last unit of s3 stays silent: a unit with no spikes must still get a row and an empty vector.
            if (session == "s3" && u == units - 1) continue;
            int n = 20 + random.Next(40);
            b.AddSpikes(u, Enumerable.Range(0, n).Select(_ => start + random.NextDouble() * (end - start)).ToArray());
        }
        foreach (var (s, e) in trials) b.AddInterval(new Interval(s, e, "trial"));
        b.AddInterval(new Interval(start, end, "epoch", "all"));
        b.SetDomain(start, end);
        return b.Build();
    }

    public void Dispose() => _folder.Dispose();
}
