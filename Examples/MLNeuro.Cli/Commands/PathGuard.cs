using System.CommandLine;
using System.CommandLine.Parsing;
using MLNeuro.Loaders.IO;
using MLNeuro.Reporting;

namespace MLNeuro.Cli.Commands;

/// <summary>What an output option writes, so its target is checked before any work starts.</summary>
internal enum OutputKind
{
    /// <summary>A file, replaced atomically; never a folder.</summary>
    File,

    /// <summary>A dataset folder; replaced only with --overwrite and only if it is a dataset or empty.</summary>
    Dataset,

    /// <summary>A report folder; replaced only if it is an earlier report or empty.</summary>
    Report,

    /// <summary>A folder that files are written into (plots); never a file.</summary>
    FilesInto,
}

/// <summary>
/// Parse-time checks that a command's outputs cannot destroy its inputs or a user's files: an output never equals an
/// input, never lies inside an input folder and never contains an input; two outputs never coincide; and each output's
/// target is of the right kind (see <see cref="OutputTargets"/>). Errors name the options, so nothing is written.
/// </summary>
internal static class PathGuard
{
    /// <summary>Adds the checks to <paramref name="command"/>; <paramref name="overwrite"/> applies to dataset outputs.</summary>
    public static void Guard(this Command command, Symbol[] inputs, (Symbol Option, OutputKind Kind)[] outputs, Option<bool>? overwrite = null)
    {
        command.Validators.Add(result =>
        {
            var inputPaths = inputs.SelectMany(symbol => Paths(result, symbol).Select(p => (symbol.Name, Path: p))).ToArray();
            var outputPaths = outputs.SelectMany(o => Paths(result, o.Option).Select(p => (o.Option.Name, Path: p, o.Kind))).ToArray();
            bool replace = overwrite is not null && result.GetValue(overwrite);
            for (int i = 0; i < outputPaths.Length; i++)
            {
                var output = outputPaths[i];
                if (Problem(output.Name, output.Path, output.Kind, replace) is { } problem) result.AddError(problem);
                foreach (var input in inputPaths)
                    if (Clash(output.Name, output.Path, output.Kind, input.Name, input.Path) is { } clash) result.AddError(clash);
                for (int j = 0; j < i; j++)
                    if (Same(outputPaths[j].Path, output.Path))
                        result.AddError($"{output.Name} and {outputPaths[j].Name} are the same path '{output.Path}'; give each output its own path");
            }
        });
    }

    private static string? Problem(string name, string path, OutputKind kind, bool replace)
    {
        try
        {
            switch (kind)
            {
                case OutputKind.File: OutputTargets.CheckFile(path, name); break;
                case OutputKind.Dataset: OutputTargets.CheckFolder(path, OutputTargets.Dataset, replace, name); break;
                case OutputKind.Report: OutputTargets.CheckFolder(path, NuclrEvaluationReportFiles.Folder, replace: true, name); break;
                case OutputKind.FilesInto:
                    if (File.Exists(path)) return $"{name} '{path}' is a file; give a folder for the plots";
                    break;
            }
            return null;
        }
        catch (IOException e)
        {
            return e.Message;
        }
    }

    private static string? Clash(string outputName, string output, OutputKind kind, string inputName, string input)
    {
        if (Same(output, input)) return $"{outputName} '{output}' is the same path as {inputName}; choose another output";
        if (Inside(output, input)) return $"{outputName} '{output}' is inside {inputName} '{input}'; write outputs outside the input";
        // Only outputs that replace a whole folder could delete an input below them; plots are only added to a folder.
        if (kind is OutputKind.Dataset or OutputKind.Report && Inside(input, output))
            return $"{outputName} '{output}' contains {inputName} '{input}'; replacing it would delete the input";
        return null;
    }

    private static bool Same(string a, string b) => string.Equals(Full(a), Full(b), StringComparison.Ordinal);

    private static bool Inside(string path, string folder) =>
        Full(path).StartsWith(Full(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string Full(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    // The values given for an option or argument: one path, several (import nwb FILE...), or none when it is absent.
    private static IEnumerable<string> Paths(CommandResult result, Symbol symbol)
    {
        object? value = symbol switch
        {
            Option option => result.GetResult(option) is OptionResult r ? r.GetValueOrDefault<object?>() : null,
            Argument argument => result.GetResult(argument) is ArgumentResult r ? r.GetValueOrDefault<object?>() : null,
            _ => null,
        };
        return value switch
        {
            string one when !string.IsNullOrWhiteSpace(one) => [one],
            string[] many => many.Where(p => !string.IsNullOrWhiteSpace(p)),
            _ => [],
        };
    }
}
