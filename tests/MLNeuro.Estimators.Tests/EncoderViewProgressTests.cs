using Microsoft.ML;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Import;
using MLNeuro.Loaders.Synthetic;
using static MLNeuro.Estimators.Tests.TorchTestHelpers;

namespace MLNeuro.Estimators.Tests;

/// <summary>The NuCLR and POYO window views report progress and honour cancellation like the Loaders views.</summary>
public sealed class EncoderViewProgressTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    private readonly NeuralDataset _dataset;

    public EncoderViewProgressTests()
    {
        SyntheticDataset.Write(new SyntheticOptions { Subjects = 2, SessionsPerSubject = 1, UnitsPerSession = 4, DurationSeconds = 10, Seed = 6 }, _tmp.Combine("ds"));
        _dataset = NeuralDataset.Open(_tmp.Combine("ds"));
    }

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void Nuclr_window_view_reports_sessions_and_stops_when_cancelled()
    {
        var reports = new List<WorkProgress>();
        var view = _dataset.AsNuclrWindowView(NuclrTestArtifacts.TinyOptions, new SynchronousProgress<WorkProgress>(reports.Add));
        long total = view.GetRowCount()!.Value;
        var ids = _dataset.Sessions.Select(s => s.SessionId).ToArray();
        using (var cursor = view.GetRowCursor(view.Schema))
            while (cursor.MoveNext()) { }
        Assert.Equal(new[]
        {
            new WorkProgress($"session {ids[0]}", 0, total),
            new WorkProgress($"session {ids[1]}", view.WindowCountBySession[ids[0]], total),
            new WorkProgress("done", total, total),
        }, reports);

        using var cts = new CancellationTokenSource();
        var cancellable = _dataset.AsNuclrWindowView(NuclrTestArtifacts.TinyOptions, cancellationToken: cts.Token);
        using var c = cancellable.GetRowCursor(cancellable.Schema);
        Assert.True(c.MoveNext());
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => c.MoveNext());

        // A token cancelled before the view exists stops it while it counts the sessions' windows.
        Assert.Throws<OperationCanceledException>(() => _dataset.AsNuclrWindowView(NuclrTestArtifacts.TinyOptions, cancellationToken: cts.Token));
    }

    [Fact]
    public void Poyo_window_view_reports_sessions_and_stops_when_cancelled()
    {
        UseOneThread();
        var recordings = _dataset.Sessions.Select(s => _dataset.ReadRecording(s.SessionId)).ToArray();
        using var decoder = PoyoTrainer.Train(recordings, new PoyoDecodingOptions { Model = PoyoModelOptions.Tiny, Channels = ["vx"], BatchSize = 2 },
            new TrainingOptions { TotalSteps = 1, WarmupSteps = 0, Seed = 1 });
        var artifact = decoder.ToArtifact(null, 0);
        var ml = new MLContext(seed: 0);
        var reports = new List<WorkProgress>();
        var view = _dataset.AsPoyoWindowView(artifact, progress: new SynchronousProgress<WorkProgress>(reports.Add));
        int rows = ml.Data.CreateEnumerable<PoyoWindowRow>(view, reuseRowObject: false).Count();
        var sessions = ml.Data.CreateEnumerable<PoyoWindowRow>(view, reuseRowObject: false).Select(r => r.SessionId).ToArray();
        var ids = _dataset.Sessions.Select(s => s.SessionId).ToArray();
        int firstSession = sessions.Count(s => s == ids[0]);
        Assert.True(rows > 0 && firstSession > 0 && firstSession < rows);
        // Two passes, each counted from 0; the total is exact: the view counts its windows when it is created.
        Assert.Equal(rows, view.GetRowCount());
        var pass = new[]
        {
            new WorkProgress($"session {ids[0]}", 0, rows),
            new WorkProgress($"session {ids[1]}", firstSession, rows),
            new WorkProgress("done", rows, rows),
        };
        Assert.Equal(pass.Concat(pass), reports);

        using var cts = new CancellationTokenSource();
        var cancellable = _dataset.AsPoyoWindowView(artifact, cancellationToken: cts.Token);
        int seen = 0;
        Assert.Throws<OperationCanceledException>(() =>
        {
            foreach (var _ in ml.Data.CreateEnumerable<PoyoWindowRow>(cancellable, reuseRowObject: false))
                if (++seen == 2) cts.Cancel();
        });
        Assert.Equal(2, seen);
    }
}
