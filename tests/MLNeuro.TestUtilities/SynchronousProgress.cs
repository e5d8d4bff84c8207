namespace MLNeuro.TestUtilities;

/// <summary>
/// Progress that reports on the calling thread, so a test sees every report before the call returns
/// (<see cref="Progress{T}"/> posts them to the thread pool).
/// </summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => report(value);
}
