using MLNeuro.Cli.Output;

namespace MLNeuro.Cli.Tests;

public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("plain id-7 · région", "plain id-7 · région")] // printable text, accents included, is unchanged
    [InlineData("a\u001b[31mb", @"a\x1b[31mb")] // ANSI colour
    [InlineData("a\u009b2Jb", @"a\x9b2Jb")] // the one-byte CSI of C1
    [InlineData("line\r\nnext\ttab\0nul\u007f", @"line\x0d\x0anext\x09tab\x00nul\x7f")]
    [InlineData("abc\u202Efed\u2066x\u2028", @"abc\u202efed\u2066x\u2028")] // bidi overrides and line separators
    public void Unsafe_characters_become_visible_escapes(string text, string expected) =>
        Assert.Equal(expected, TerminalText.Safe(text));

    [Fact]
    public void Markup_escapes_brackets_after_control_characters()
    {
        Assert.Equal(@"[[red]]x\x1b", TerminalText.Markup("[red]x\u001b"));
        Assert.Equal("", TerminalText.Safe(null));
    }
}
