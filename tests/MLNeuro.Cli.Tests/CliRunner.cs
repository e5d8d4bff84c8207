namespace MLNeuro.Cli.Tests;

/// <summary>Runs the mlneuro command tree in-process and captures its streams.</summary>
internal static class CliRunner
{
    public static (int Exit, string Out, string Err) Run(params string[] args) => Run(CancellationToken.None, args);

    /// <summary>Runs with a token that stands in for Ctrl-C (System.CommandLine links it to the commands' token).</summary>
    public static (int Exit, string Out, string Err) Run(CancellationToken cancellationToken, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = MLNeuroCli.RunAsync(args, stdout, stderr, cancellationToken).GetAwaiter().GetResult();
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
