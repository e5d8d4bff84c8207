using Microsoft.ML;
using MLNeuro.Loaders.Import;
using MLNeuro.Loaders.Synthetic;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Loaders.Tests;

/// <summary>Long view enumerations report progress (per session, every 1,000 rows, at the end) and honour cancellation.</summary>
public sealed class ViewProgressTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    private readonly NeuralDataset _dataset;

    public ViewProgressTests()
    {
        SyntheticDataset.Write(new SyntheticOptions { Subjects = 1, SessionsPerSubject = 2, UnitsPerSession = 6, DurationSeconds = 15, Seed = 9 }, _tmp.Combine("ds"));
        _dataset = NeuralDataset.Open(_tmp.Combine("ds"));
    }

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void Neuron_view_reports_each_session_with_the_rows_before_it_and_the_end()
    {
        var reports = new List<WorkProgress>();
        var view = _dataset.AsNeuronView(progress: new SynchronousProgress<WorkProgress>(reports.Add));
        Assert.Empty(reports); // creating the view enumerates nothing

        Assert.Equal(12, Drain(view));
        var ids = _dataset.Sessions.Select(s => s.SessionId).ToArray();
        Assert.Equal(new[]
        {
            new WorkProgress($"session {ids[0]}", 0, 12),
            new WorkProgress($"session {ids[1]}", 6, 12),
            new WorkProgress("done", 12, 12),
        }, reports);
    }

    [Fact]
    public void Window_view_reports_every_thousand_rows_within_a_session()
    {
        var reports = new List<WorkProgress>();
        // 0.01 s windows tiling two 15 s sessions: 1,500 rows each.
        var view = _dataset.AsWindowView(new WindowViewOptions { WindowSeconds = 0.01, Mode = WindowMode.Sequential }, new SynchronousProgress<WorkProgress>(reports.Add));
        long total = view.GetRowCount()!.Value;
        int first = view.WindowCountBySession[_dataset.Sessions[0].SessionId];

        Assert.Equal(total, Drain(view));
        Assert.Equal((3000L, 1500), (total, first));
        var ids = _dataset.Sessions.Select(s => s.SessionId).ToArray();
        var expected = new[]
        {
            new WorkProgress($"session {ids[0]}", 0, 3000),
            new WorkProgress($"session {ids[0]}", 1000, 3000),
            new WorkProgress($"session {ids[1]}", 1500, 3000),
            new WorkProgress($"session {ids[1]}", 2000, 3000),
            new WorkProgress($"session {ids[1]}", 3000, 3000),
            new WorkProgress("done", 3000, 3000),
        };
        Assert.Equal(expected, reports);
    }

    [Fact]
    public void Each_cursor_counts_its_own_pass_and_a_shuffled_pass_reaches_the_total()
    {
        var reports = new List<WorkProgress>();
        var view = _dataset.AsNeuronView(progress: new SynchronousProgress<WorkProgress>(reports.Add));
        Drain(view);
        Drain(view, new Random(3));
        var ends = reports.Where(p => p.Stage == "done").ToArray();
        Assert.Equal(new[] { new WorkProgress("done", 12, 12), new WorkProgress("done", 12, 12) }, ends);
        Assert.Equal(2, reports.Count(p => p.Done == 0));
    }

    [Fact]
    public void Cancelling_stops_a_window_view_cursor_before_the_next_row()
    {
        using var cts = new CancellationTokenSource();
        var view = _dataset.AsWindowView(new WindowViewOptions { WindowSeconds = 1, Mode = WindowMode.Sequential, IncludeSpikes = true },
            cancellationToken: cts.Token);
        using var cursor = view.GetRowCursor(view.Schema);
        int rows = 0;
        Assert.Throws<OperationCanceledException>(() =>
        {
            while (cursor.MoveNext())
            {
                if (++rows == 5) cts.Cancel();
            }
        });
        Assert.Equal(5, rows);
        Assert.Equal(4, cursor.Position); // still on the last row it produced
    }

    [Fact]
    public void A_cancelled_token_stops_a_neuron_view_at_its_first_row_and_ml_net_passes_it_on()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var view = _dataset.AsNeuronView(new NeuronViewOptions { IncludeSpikeTimes = true }, cancellationToken: cts.Token);
        using (var cursor = view.GetRowCursor(view.Schema))
            Assert.Throws<OperationCanceledException>(() => cursor.MoveNext());
        // Through ML.NET's own consumers the cancellation surfaces as the same exception.
        var ml = new MLContext(seed: 1);
        Assert.Throws<OperationCanceledException>(() => ml.Data.CreateEnumerable<UnitRow>(view, reuseRowObject: false).ToList());
    }

    private static long Drain(IDataView view, Random? random = null)
    {
        long rows = 0;
        using var cursor = view.GetRowCursor(view.Schema, random);
        while (cursor.MoveNext()) rows++;
        return rows;
    }

    public sealed class UnitRow
    {
        [Microsoft.ML.Data.ColumnName("unit_id")]
        public string UnitId { get; set; } = "";
    }
}
