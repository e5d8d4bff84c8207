using MLNeuro.Cli.Output;
using MLNeuro.Estimators;
using MLNeuro.Loaders;

namespace MLNeuro.Cli;

/// <summary>
/// Turns the exceptions a user can cause into the one line the CLI prints, and into the exit code: 1 for a failure,
/// 130 for Ctrl-C (128 + SIGINT, what shells report for an interrupted program). Every line goes through
/// <see cref="TerminalText.Safe"/>: messages quote ids and paths from input files.
/// </summary>
internal static class CliErrors
{
    /// <summary>Exit code of a command that failed.</summary>
    public const int Failure = 1;

    /// <summary>Exit code of a command stopped by Ctrl-C (or another cancellation).</summary>
    public const int Cancelled = 130;

    /// <summary>The message for an exception a user can cause (bad input, missing file, Ctrl-C); null for a bug.</summary>
    public static string? Describe(Exception e) => e switch
    {
        DataFormatException or TorchUnavailableException or IOException or UnauthorizedAccessException => e.Message,
        // Model artifacts and checkpoints report damaged or foreign files this way, naming the file.
        InvalidDataException => e.Message,
        ArgumentException or KeyNotFoundException or InvalidOperationException => e.Message,
        OperationCanceledException => "cancelled; nothing was written",
        AggregateException { InnerExceptions.Count: 1 } a => Describe(a.InnerExceptions[0]),
        _ => null,
    };

    /// <summary>Whether the exception stops the command because the user cancelled it.</summary>
    public static bool IsCancellation(Exception e) => e switch
    {
        OperationCanceledException => true,
        AggregateException { InnerExceptions.Count: 1 } a => IsCancellation(a.InnerExceptions[0]),
        _ => false,
    };

    /// <summary>Prints the line for an exception that escaped a command and returns the exit code.</summary>
    public static int Report(Exception e, TextWriter stderr)
    {
        if (IsCancellation(e))
        {
            Cancel(stderr, Describe(e)!);
            return Cancelled;
        }
        Error(stderr, Describe(e) ?? $"{e.GetType().Name}: {e.Message} (this is a bug in MLNeuro; please report it with the command line)");
        return Failure;
    }

    /// <summary>Writes <c>mlneuro: error: MESSAGE</c>, made terminal-safe.</summary>
    public static void Error(TextWriter stderr, string message) => stderr.WriteLine($"mlneuro: error: {TerminalText.Safe(message)}");

    /// <summary>Writes <c>mlneuro: warning: MESSAGE</c>, made terminal-safe.</summary>
    public static void Warning(TextWriter stderr, string message) => stderr.WriteLine($"mlneuro: warning: {TerminalText.Safe(message)}");

    /// <summary>Writes <c>mlneuro: cancelled...</c> (MESSAGE starts with "cancelled"), made terminal-safe.</summary>
    public static void Cancel(TextWriter stderr, string message) => stderr.WriteLine($"mlneuro: {TerminalText.Safe(message)}");
}
