using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// Checks, once per process, that TorchSharp's native library can load, so that code using torch fails with one
/// clear line naming the fix instead of TorchSharp's generic loader trace. Call <see cref="EnsureAvailable"/> before
/// the first tensor is created.
/// </summary>
/// <example><code>
/// TorchRuntime.EnsureAvailable(); // throws TorchUnavailableException: "... run eng/install-prereqs.sh ..."
/// using var x = torch.zeros(3);
/// </code></example>
public static class TorchRuntime
{
    /// <summary>libtorch 2.10's libLibTorchSharp.so needs this libstdc++ symbol version (GCC 13+).</summary>
    internal const string RequiredGlibcxx = "GLIBCXX_3.4.32";

    /// <summary>The script, relative to the repository root, that installs the prerequisite.</summary>
    public const string PrerequisiteScript = "eng/install-prereqs.sh";

    private static readonly Lazy<Exception?> Failure = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Throws <see cref="TorchUnavailableException"/> when torch cannot run here; otherwise returns at once.</summary>
    public static void EnsureAvailable()
    {
        if (Failure.Value is { } failure) throw failure;
    }

    /// <summary>True when torch can run here.</summary>
    public static bool IsAvailable => Failure.Value is null;

    /// <summary>
    /// The OpenMP wait policy libtorch's threads get unless the environment already names one. With the default
    /// (spinning) policy two intra-op threads on two cores ran a NuCLR training step at half the speed of
    /// <c>PASSIVE</c> (13.8 s vs 6.55 s, docs/benchmarks.md): the idle thread spins on the core the busy one needs.
    /// </summary>
    public const string OpenMpWaitPolicy = "PASSIVE";

    private static Exception? Probe()
    {
        if (OperatingSystem.IsLinux() && FindLibStdCxx() is { } lib && CheckLibStdCxx(lib) is { } missing)
            return missing;
        // OpenMP reads its settings from the C environment when libtorch loads, which the first tensor below does.
        // .NET's Environment.SetEnvironmentVariable does not reach the C environment on Unix, so call setenv itself,
        // without overwriting a value the user chose.
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) NativeEnvironment.SetIfUnset("OMP_WAIT_POLICY", OpenMpWaitPolicy);
        try
        {
            using var probe = zeros(1);
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or NotSupportedException or ExternalException)
        {
            return new TorchUnavailableException(
                $"TorchSharp's native library failed to load ({Innermost(e).Message.Split('\n')[0].Trim()}); run {PrerequisiteScript}, and check that the application references a libtorch package (libtorch-cpu-linux-x64, or libtorch-cuda-*): MLNeuro.Estimators leaves that choice to it.", e);
        }
    }

    /// <summary>The failure to report when <paramref name="libStdCxx"/> lacks the symbol version libtorch needs, else null.</summary>
    internal static TorchUnavailableException? CheckLibStdCxx(string libStdCxx) =>
        ContainsAscii(libStdCxx, RequiredGlibcxx) ? null
            : new TorchUnavailableException(
                $"TorchSharp needs libstdc++ with {RequiredGlibcxx} (GCC 13 or newer) but {libStdCxx} is older; run {PrerequisiteScript} (as root) to install it.");

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    private static string? FindLibStdCxx()
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        };
        return candidates.FirstOrDefault(File.Exists);
    }

    private static bool ContainsAscii(string file, string text)
    {
        var needle = System.Text.Encoding.ASCII.GetBytes(text);
        return File.ReadAllBytes(file).AsSpan().IndexOf(needle) >= 0;
    }
}
