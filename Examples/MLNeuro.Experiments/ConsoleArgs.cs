namespace MLNeuro;

/// <summary>
/// The <c>--name value</c> options of the console modes. One source file compiled into two applications: it lives
/// here and <c>tests/MLNeuro.Benchmarks</c> links it (a <c>Compile Include</c> in its project file), since the two
/// executables share nothing else and neither should reference the other. The namespace is <c>MLNeuro</c>, the parent
/// of both projects' namespaces, so both use it without a <c>using</c>.
/// </summary>
internal static class ConsoleArgs
{
    /// <summary>The value of <c>--name value</c> in <paramref name="args"/>, or <paramref name="fallback"/>.</summary>
    public static string Option(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
