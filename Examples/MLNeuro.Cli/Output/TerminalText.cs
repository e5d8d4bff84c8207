using System.Globalization;
using System.Text;

namespace MLNeuro.Cli.Output;

/// <summary>
/// Makes text from input files (ids, labels, column names, paths) safe to show on a terminal: control characters
/// (C0, DEL, C1 and so ANSI escape sequences) and bidirectional overrides are written as visible escapes, so a crafted
/// file cannot move the cursor, recolour the screen, hide part of a message or split one error over several lines.
/// </summary>
internal static class TerminalText
{
    /// <summary>The text with every unsafe character replaced by <c>\xNN</c> (or <c>\uNNNN</c>); safe text is returned as is.</summary>
    public static string Safe(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        int first = IndexOfUnsafe(text);
        if (first < 0) return text;
        var safe = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (!IsUnsafe(c)) safe.Append(c);
            else if (c <= 0xFF) safe.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            else safe.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }
        return safe.ToString();
    }

    /// <summary>The text made safe and escaped for Spectre markup (table cells, titles, progress descriptions).</summary>
    public static string Markup(string? text) => Spectre.Console.Markup.Escape(Safe(text));

    private static int IndexOfUnsafe(string text)
    {
        for (int i = 0; i < text.Length; i++)
            if (IsUnsafe(text[i])) return i;
        return -1;
    }

    // Control characters include \n and \t: a message is one line, and a tab from a file would misalign a table.
    // U+202A-U+202E and U+2066-U+2069 reorder the text around them (the "Trojan Source" trick); U+2028/9 break lines.
    private static bool IsUnsafe(char c) => char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u2028' or '\u2029';
}
