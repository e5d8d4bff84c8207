using MLNeuro.Estimators;
using MLNeuro.Loaders;

namespace MLNeuro.Cli;

/// <summary>Turns the exceptions a user can cause into the one line the CLI prints.</summary>
internal static class CliErrors
{
    public static string? Describe(Exception e) => e switch
    {
        DataFormatException or TorchUnavailableException or IOException or UnauthorizedAccessException => e.Message,
        ArgumentException or KeyNotFoundException or InvalidOperationException => e.Message,
        OperationCanceledException => "cancelled; nothing was written",
        AggregateException { InnerExceptions.Count: 1 } a => Describe(a.InnerExceptions[0]),
        _ => $"{e.GetType().Name}: {e.Message} (this is a bug in MLNeuro; please report it with the command line)",
    };
}
