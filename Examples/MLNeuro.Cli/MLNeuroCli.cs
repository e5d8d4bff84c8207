using System.CommandLine;
using MLNeuro.Cli.Commands;

namespace MLNeuro.Cli;

/// <summary>
/// The <c>mlneuro</c> command tree. Data goes to <c>stdout</c>; progress bars and errors go to <c>stderr</c>, so
/// <c>mlneuro info DIR --json | jq</c> works. Exit code 0 on success; 1 with one line on stderr on failure.
/// </summary>
internal static class MLNeuroCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
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
        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return await root.Parse(args).InvokeAsync(configuration);
        }
        catch (Exception e) when (CliErrors.Describe(e) is { } message)
        {
            stderr.WriteLine($"mlneuro: error: {message}");
            return 1;
        }
    }
}
