using MLNeuro.Loaders.Import;

namespace MLNeuro.Loaders.Views;

/// <summary>
/// Where a view's enumerations report how far they are and learn that they should stop: the progress sink and
/// cancellation token given to the view's factory method, and the view's row count (0 when unknown).
/// </summary>
internal sealed class ViewProgress
{
    /// <summary>Besides one report per session, a report every this many rows, so one long session still moves a progress bar.</summary>
    public const long ReportEveryRows = 1000;

    public ViewProgress(IProgress<WorkProgress>? progress, CancellationToken cancellationToken, long totalRows)
    {
        Sink = progress;
        CancellationToken = cancellationToken;
        TotalRows = totalRows;
    }

    public IProgress<WorkProgress>? Sink { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Rows of one full pass, or 0 when the view cannot tell before it is enumerated.</summary>
    public long TotalRows { get; }

    /// <summary>Reports <paramref name="rowsDone"/> rows of this pass done, in <paramref name="stage"/>.</summary>
    public void Report(string stage, long rowsDone) => Sink?.Report(new WorkProgress(stage, rowsDone, TotalRows));

    /// <summary>The stage name of the rows of one session.</summary>
    public static string SessionStage(string sessionId) => $"session {sessionId}";

    /// <summary>The stage name of the last report of a pass that reached the end.</summary>
    public const string DoneStage = "done";
}
