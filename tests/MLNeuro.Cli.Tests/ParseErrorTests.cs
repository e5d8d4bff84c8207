namespace MLNeuro.Cli.Tests;

/// <summary>A bad command line gets the same one line on stderr as any other error, and no help on stdout.</summary>
public sealed class ParseErrorTests
{
    private static string OneErrorLine(string[] args)
    {
        var (exit, stdout, stderr) = CliRunner.Run(args);
        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("mlneuro: error: ", line);
        Assert.DoesNotContain("Usage", line);
        return line;
    }

    [Fact]
    public void A_word_for_an_integer_option_names_the_option_and_the_value()
    {
        var line = OneErrorLine(["synth", "--out", "x", "--units", "abc"]);
        Assert.Equal("mlneuro: error: --units: 'abc' is not an integer (see 'mlneuro synth --help')", line.TrimEnd());
    }

    [Fact]
    public void A_word_for_a_nullable_integer_or_a_number_is_named_too()
    {
        Assert.Contains("--lags: 'abc' is not an integer", OneErrorLine(["decode", "train", "--data", "d", "--target", "vx", "--out", "m.zip", "--lags", "abc"]));
        Assert.Contains("--seconds: '1e' is not a number", OneErrorLine(["synth", "--out", "x", "--seconds", "1e"]));
    }

    [Fact]
    public void A_comma_in_a_number_is_refused_rather_than_read_as_a_thousands_separator()
    {
        // System.CommandLine alone would read "1,5" as 15 and run a 15 s synthesis.
        Assert.Equal("mlneuro: error: --seconds: '1,5' is not a number (write decimals with '.', and no thousands separators) (see 'mlneuro synth --help')",
            OneErrorLine(["synth", "--out", "x", "--seconds", "1,5"]).TrimEnd());
        Assert.Contains("--units: '1,000' is not an integer", OneErrorLine(["synth", "--out", "x", "--units", "1,000"]));
    }

    [Fact]
    public void Missing_options_an_unknown_option_and_a_bad_choice_are_one_line_each()
    {
        var missing = OneErrorLine(["embed"]);
        Assert.Contains("option '--model' is required; option '--data' is required; option '--out' is required", missing);
        Assert.Contains("(see 'mlneuro embed --help')", missing);
        Assert.Contains("unrecognized command or argument '--bogus'", OneErrorLine(["synth", "--out", "x", "--bogus"]));
        Assert.Contains("--model: argument 'foo' not recognized. Must be one of: 'poyo' 'wiener' 'mlp'",
            OneErrorLine(["decode", "train", "--data", "d", "--target", "vx", "--out", "m.zip", "--model", "foo"]));
        Assert.Contains("(see 'mlneuro --help')", OneErrorLine([]));
    }

    [Fact]
    public void Range_checks_still_report_after_the_value_converts()
    {
        Assert.Contains("--units must be at least 1 (got 0)", OneErrorLine(["synth", "--out", "x", "--units", "0"]));
    }

    [Fact]
    public void Help_still_prints_usage_on_stdout_even_with_required_options_missing()
    {
        var (exit, stdout, stderr) = CliRunner.Run("embed", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("Usage:", stdout);
        Assert.Equal("", stderr);
        (exit, stdout, _) = CliRunner.Run("embed", "--model", "m.zip", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("--data", stdout);
    }
}
