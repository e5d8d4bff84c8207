using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using MLNeuro.Cli.Commands;

namespace MLNeuro.Cli;

/// <summary>
/// The <c>mlneuro</c> command tree. Data goes to <c>stdout</c>; progress bars and errors go to <c>stderr</c>, so
/// <c>mlneuro info DIR --json | jq</c> works. Exit code 0 on success; 1 with one line on stderr on failure (a bad
/// command line included); 130 when cancelled with Ctrl-C.
/// </summary>
internal static class MLNeuroCli
{
    /// <summary>
    /// How long a command may take to stop after Ctrl-C before the process exits anyway (130). Training finishes its
    /// step and writes a checkpoint first, which for the larger models takes seconds, not the default two.
    /// </summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Runs the command line; <paramref name="cancellationToken"/> cancels like Ctrl-C does (used by tests).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var io = new CliIo(stdout, stderr);
        var root = new RootCommand("MLNeuro: neural-data foundation models for .NET (datasets, tokenization, pretraining, decoding).")
        {
            SynthCommand.Create(io),
            ImportCommand.Create(io),
            InfoCommand.Create(io),
            FeaturesCommand.Create(io),
            ProbeCommand.Create(io),
            PretrainCommand.Create(io),
            EmbedCommand.Create(io),
            EvaluateCommand.Create(io),
            DecodeCommand.Create(io),
        };
        foreach (var version in root.Options.OfType<VersionOption>()) version.Action = new PrintVersionAction();
        var configuration = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = StopTimeout,
        };
        var parse = root.Parse(args);
        // Errors with no action that clears them (--help does) would print help to stdout and several lines to stderr.
        if (parse.Errors.Count > 0 && parse.Action is ParseErrorAction)
        {
            CliErrors.Error(stderr, ParseErrors.Describe(parse));
            return CliErrors.Failure;
        }
        if (parse.Errors.Count == 0 && ParseErrors.CommaInNumber(parse) is { } comma)
        {
            CliErrors.Error(stderr, comma);
            return CliErrors.Failure;
        }
        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken);
        }
        catch (Exception e)
        {
            return CliErrors.Report(e, stderr);
        }
    }

    /// <summary>
    /// The package version (Directory.Build.props), e.g. <c>0.1.0</c>: the informational version without the
    /// <c>+commit</c> the SDK appends, so <c>mlneuro --version</c> matches <c>dotnet tool list</c> and the version a
    /// user installs with <c>dotnet tool install --version</c>. Read from this assembly, not the entry assembly, so it is
    /// the same when the command tree runs inside a test host.
    /// </summary>
    public static string Version { get; } = PackageVersion(
        typeof(MLNeuroCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(MLNeuroCli).Assembly.GetName().Version?.ToString() ?? "");

    /// <summary>Drops SemVer build metadata (<c>0.1.0+abc123</c> -> <c>0.1.0</c>); a prerelease label stays.</summary>
    internal static string PackageVersion(string informationalVersion)
    {
        int plus = informationalVersion.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informationalVersion : informationalVersion[..plus];
    }

    /// <summary>Replaces System.CommandLine's --version output, which prints the full informational version.</summary>
    private sealed class PrintVersionAction : SynchronousCommandLineAction
    {
        // Like the built-in action: `mlneuro --version` alone is valid although the root command needs a subcommand.
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            (parseResult.InvocationConfiguration.Output ?? Console.Out).WriteLine(Version);
            return 0;
        }
    }
}
