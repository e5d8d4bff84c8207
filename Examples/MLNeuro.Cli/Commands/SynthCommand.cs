using System.CommandLine;

namespace MLNeuro.Cli.Commands;

/// <summary><c>mlneuro synth</c>.</summary>
internal static class SynthCommand
{
    public static Command Create(CliIo io) => new("synth", "Generate a synthetic dataset.");
}
