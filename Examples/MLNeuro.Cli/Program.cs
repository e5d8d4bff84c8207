namespace MLNeuro.Cli;

internal static class Program
{
    private static Task<int> Main(string[] args) => MLNeuroCli.RunAsync(args, Console.Out, Console.Error);
}
