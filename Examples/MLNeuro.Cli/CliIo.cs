using Spectre.Console;

namespace MLNeuro.Cli;

/// <summary>Where a command writes: data to <see cref="Out"/>, progress and messages to <see cref="Error"/>.</summary>
internal sealed class CliIo
{
    public CliIo(TextWriter stdout, TextWriter stderr)
    {
        Out = stdout;
        Error = stderr;
        // Spectre renders live progress only on a real terminal; redirected (CI, tests) it prints plain lines.
        bool terminal = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;
        Status = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stderr),
            Interactive = terminal ? InteractionSupport.Yes : InteractionSupport.No,
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
        });
        Data = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Interactive = InteractionSupport.No,
            Ansi = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
        });
        // Redirected output has no terminal width; Spectre would assume 80 columns and wrap ids mid-word.
        if (!ReferenceEquals(stdout, Console.Out) || Console.IsOutputRedirected) Data.Profile.Width = 160;
    }

    /// <summary>Raw standard output (JSON, tables).</summary>
    public TextWriter Out { get; }

    /// <summary>Raw standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>Spectre console on stderr, for progress bars.</summary>
    public IAnsiConsole Status { get; }

    /// <summary>Spectre console on stdout, for tables.</summary>
    public IAnsiConsole Data { get; }

    /// <summary>The progress display every long command uses: bars on stderr that stay after completion, with rate and ETA.</summary>
    public Progress ProgressBars() => Status.Progress()
        .AutoClear(false)
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn());
}
