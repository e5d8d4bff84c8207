using System.CommandLine;
using MLNeuro.Estimators;

namespace MLNeuro.Cli.Commands;

/// <summary>Options several commands share, defined once so their names and help agree.</summary>
internal static class CommonOptions
{
    /// <summary><c>--data</c>: the dataset folder a command reads.</summary>
    public static Option<string> Data(string description = "Dataset folder.") => new("--data") { Description = description, Required = true };

    /// <summary><c>--out</c>: where a command writes (a dataset folder unless the description says otherwise).</summary>
    public static Option<string> Output(string description = "Output dataset folder (written atomically).") =>
        new("--out") { Description = description, Required = true };

    /// <summary><c>--seed</c>: every random choice of the command derives from it.</summary>
    public static Option<int> Seed(string description, int defaultValue = 0) =>
        new("--seed") { Description = description, DefaultValueFactory = _ => defaultValue };

    /// <summary><c>--threads</c> of the commands that run libtorch; applied by <see cref="StartTorch(ParseResult, Option{int})"/>.</summary>
    public static Option<int> TorchThreads() =>
        new Option<int>("--threads") { Description = "libtorch intra-op threads (0 = libtorch's default).", DefaultValueFactory = _ => 0 }.AtLeast(0);

    /// <summary>
    /// Loads libtorch (failing with the one line that names the fix when it cannot) and applies <c>--threads</c>;
    /// called by every command that trains or runs a TorchSharp model, before its work starts.
    /// </summary>
    public static void StartTorch(ParseResult parse, Option<int> threads) => StartTorch(parse.GetValue(threads));

    /// <summary>As <see cref="StartTorch(ParseResult, Option{int})"/> with the thread count already read (0 = libtorch's default).</summary>
    public static void StartTorch(int threads)
    {
        TorchRuntime.EnsureAvailable();
        if (threads > 0) TorchSharp.torch.set_num_threads(threads);
    }

    /// <summary><c>--resume</c> of the training commands.</summary>
    public static Option<bool> Resume(string description = "Continue from MODEL.zip.checkpoint (left by Ctrl-C or a killed run).") =>
        new("--resume") { Description = description };

    /// <summary><c>--learning-curve DIR</c> of the training commands (see <see cref="Output.LearningCurveOutput"/>).</summary>
    public static Option<string?> LearningCurve() => new("--learning-curve")
    {
        Description = "Write the run's learning curve into this folder: loss and validation score per step (learning-curve.json, learning-curve.png, learning-curve-loss.png).",
        HelpName = "DIR",
    };

    public static Option<bool> Overwrite() => new("--overwrite") { Description = "Replace the output folder if it exists (only once the new one is complete)." };

    public static Option<string?> ExcludeLabels() => new("--exclude-labels")
    {
        Description = "Comma-separated label values left out like empty labels (e.g. root,OTHER for units without a real region).",
        HelpName = "A,B",
    };

    /// <summary>The items of a comma-separated option value (trimmed, empty items dropped); empty when not given.</summary>
    public static string[] List(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Adds a parse-time check that the option's value is at least <paramref name="minimum"/>, naming the option.</summary>
    public static Option<T> AtLeast<T>(this Option<T> option, T minimum, bool exclusive = false) where T : IComparable<T>
    {
        option.Validators.Add(result =>
        {
            if (Converts(result)) CheckAtLeast(result, option.Name, result.GetValueOrDefault<T>(), minimum, exclusive);
        });
        return option;
    }

    /// <summary>As <see cref="AtLeast{T}"/> for an optional value: checked only when the option is given.</summary>
    public static Option<T?> AtLeastWhenSet<T>(this Option<T?> option, T minimum, bool exclusive = false) where T : struct, IComparable<T>
    {
        option.Validators.Add(result =>
        {
            if (Converts(result) && result.GetValueOrDefault<T?>() is { } value) CheckAtLeast(result, option.Name, value, minimum, exclusive);
        });
        return option;
    }

    // A value that does not convert ("abc" for an int) is the parser's error to report; reading it here would throw.
    private static bool Converts(System.CommandLine.Parsing.OptionResult result) =>
        result.Tokens.Count == 0 || result.Tokens.All(t => ParseErrors.Converts(result.Option.ValueType, t.Value));

    private static void CheckAtLeast<T>(System.CommandLine.Parsing.OptionResult result, string name, T value, T minimum, bool exclusive) where T : IComparable<T>
    {
        int c = value.CompareTo(minimum);
        if (c < 0 || exclusive && c == 0)
            result.AddError($"{name} must be {(exclusive ? "greater than" : "at least")} {minimum} (got {value})");
    }
}
