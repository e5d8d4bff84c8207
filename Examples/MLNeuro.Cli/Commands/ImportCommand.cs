using System.CommandLine;

namespace MLNeuro.Cli.Commands;

/// <summary><c>mlneuro import nwb|csv</c>.</summary>
internal static class ImportCommand
{
    public static Command Create(CliIo io) => new("import", "Import recordings into an MLNeuro dataset folder (atomic: a failed import leaves no output).");
}
