using System.CommandLine;

namespace MLNeuro.Cli.Commands;

/// <summary>Options several commands share, defined once so their names and help agree.</summary>
internal static class CommonOptions
{
    public static Option<string> Output() => new("--out") { Description = "Output dataset folder (written atomically).", Required = true };

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
