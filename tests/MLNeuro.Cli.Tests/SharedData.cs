namespace MLNeuro.Cli.Tests;

/// <summary>Paths of the real recordings in ../shared/data (outside the repository, never copied into it).</summary>
public static class SharedData
{
    public static string Root { get; } = FindRoot();

    public static string File(params string[] parts) => Path.Combine(new[] { Root }.Concat(parts).ToArray());

    private static string FindRoot()
    {
        var env = Environment.GetEnvironmentVariable("MLNEURO_SHARED_DATA");
        if (!string.IsNullOrEmpty(env)) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "MLNeuro.sln")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
        }
        throw new DirectoryNotFoundException("cannot find MLNeuro.sln above the test binaries; set MLNEURO_SHARED_DATA to the shared data folder");
    }
}
