using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace MLNeuro.Cli;

/// <summary>
/// Turns command-line parse errors into the one line every other error gets, instead of System.CommandLine's help dump
/// on stdout: a script that pipes stdout must not receive help text, and the reason must not scroll away above it.
/// </summary>
internal static class ParseErrors
{
    /// <summary>All parse errors as one message, ending with where to find the usage.</summary>
    public static string Describe(ParseResult parse)
    {
        var reasons = parse.Errors.Select(Describe).Distinct(StringComparer.Ordinal).ToArray();
        return $"{string.Join("; ", reasons)} (see '{CommandPath(parse.CommandResult)} --help')";
    }

    private static string Describe(ParseError error)
    {
        // System.CommandLine says "Cannot parse argument 'abc' for option '--units' as expected type 'System.Int32'";
        // name the option and the kind of value instead, in words a user knows.
        if (NotConvertible(error.SymbolResult) is { } reason) return reason;
        var sentence = Sentence(error.Message);
        // "argument 'foo' not recognized" does not say which option took 'foo'.
        var name = OptionName(error.SymbolResult);
        return name is null || sentence.Contains(name, StringComparison.Ordinal) ? sentence : $"{name}: {sentence}";
    }

    private static string? OptionName(SymbolResult? result) => result switch
    {
        OptionResult o => o.Option.Name,
        ArgumentResult { Parent: OptionResult o } => o.Option.Name,
        _ => null,
    };

    private static string? NotConvertible(SymbolResult? result)
    {
        var (valueType, name, tokens) = result switch
        {
            ArgumentResult a => (a.Argument.ValueType, (a.Parent as OptionResult)?.Option.Name ?? $"<{a.Argument.Name}>", a.Tokens),
            OptionResult o => (o.Option.ValueType, o.Option.Name, o.Tokens),
            _ => (null, "", (IReadOnlyList<Token>)Array.Empty<Token>()),
        };
        if (valueType is null) return null;
        var type = Nullable.GetUnderlyingType(valueType) ?? valueType;
        var (kind, _) = Kind(type.IsArray ? type.GetElementType()! : type);
        if (kind is null) return null;
        var bad = tokens.FirstOrDefault(t => !Converts(valueType, t.Value));
        return bad is null ? null : $"{name}: '{bad.Value}' is not {kind}";
    }

    /// <summary>
    /// A number written with a comma ("--seconds 1,5"), which System.CommandLine reads as a thousands separator (15): the
    /// user almost certainly meant 1.5, so the command is refused with a message that says so. Null when there is none.
    /// </summary>
    public static string? CommaInNumber(ParseResult parse)
    {
        for (SymbolResult? command = parse.CommandResult; command is CommandResult c; command = c.Parent)
            foreach (var option in c.Children.OfType<OptionResult>())
            {
                var type = Nullable.GetUnderlyingType(option.Option.ValueType) ?? option.Option.ValueType;
                type = type.IsArray ? type.GetElementType()! : type;
                if (type != typeof(double) && type != typeof(float) && type != typeof(int) && type != typeof(long)) continue;
                if (option.Tokens.FirstOrDefault(t => t.Value.Contains(',')) is { } token)
                    return $"{option.Option.Name}: '{token.Value}' is not {(type == typeof(int) || type == typeof(long) ? "an integer" : "a number")} (write decimals with '.', and no thousands separators) (see '{CommandPath(parse.CommandResult)} --help')";
            }
        return null;
    }

    /// <summary>Whether <paramref name="token"/> converts to <paramref name="valueType"/> (true for types this class does not check).</summary>
    public static bool Converts(Type valueType, string token)
    {
        var type = Nullable.GetUnderlyingType(valueType) ?? valueType;
        return Kind(type.IsArray ? type.GetElementType()! : type).Parses(token);
    }

    private static (string? Kind, Func<string, bool> Parses) Kind(Type type)
    {
        // The styles System.CommandLine converts with (the CLI runs with invariant globalization), so both agree.
        var c = CultureInfo.InvariantCulture;
        const NumberStyles Real = NumberStyles.Float | NumberStyles.AllowThousands;
        if (type == typeof(int)) return ("an integer", s => int.TryParse(s, NumberStyles.Integer, c, out _));
        if (type == typeof(long)) return ("an integer", s => long.TryParse(s, NumberStyles.Integer, c, out _));
        if (type == typeof(double)) return ("a number", s => double.TryParse(s, Real, c, out _));
        if (type == typeof(float)) return ("a number", s => float.TryParse(s, Real, c, out _));
        if (type == typeof(bool)) return ("true or false", s => bool.TryParse(s, out _));
        if (type.IsEnum)
            return ($"one of {string.Join(", ", Enum.GetNames(type))}", s => Enum.TryParse(type, s, ignoreCase: true, out _));
        return (null, _ => true);
    }

    /// <summary>"mlneuro decode train", from the command that was being parsed.</summary>
    private static string CommandPath(CommandResult? command)
    {
        var names = new List<string>();
        for (SymbolResult? r = command; r is CommandResult c; r = c.Parent)
            if (c.Command is not RootCommand) names.Add(c.Command.Name);
        names.Add("mlneuro");
        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>System.CommandLine's sentences ("Option '--out' is required.") in the CLI's style: lower case, no full stop.</summary>
    private static string Sentence(string message)
    {
        // Some messages list choices on indented lines; the CLI's errors are one line.
        var text = string.Join(' ', message.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.');
        return text.Length > 1 && char.IsUpper(text[0]) && char.IsLower(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;
    }
}
