using System.Runtime.InteropServices;

namespace MLNeuro.Estimators;

/// <summary>
/// The C library's environment (getenv / setenv), which native libraries such as libtorch's OpenMP read. On Unix, .NET
/// keeps its own copy of the environment, so <see cref="Environment.SetEnvironmentVariable(string, string)"/> is not seen there.
/// </summary>
internal static class NativeEnvironment
{
    /// <summary>Sets <paramref name="name"/> in the C environment unless it already has a value; returns the value in effect.</summary>
    public static string SetIfUnset(string name, string value)
    {
        if (Get(name) is { } existing) return existing;
        if (setenv(name, value, 0) != 0) return Get(name) ?? "";
        return value;
    }

    /// <summary>The C environment's value of <paramref name="name"/>, or null.</summary>
    public static string? Get(string name) => Marshal.PtrToStringUTF8(getenv(name));

    // DllImport rather than LibraryImport: the generated marshalling would need unsafe code in the library, and
    // on Unix the ANSI strings of DllImport are UTF-8.
#pragma warning disable SYSLIB1054
    [DllImport("libc", CharSet = CharSet.Ansi)]
    private static extern int setenv(string name, string value, int overwrite);

    [DllImport("libc", CharSet = CharSet.Ansi)]
    private static extern IntPtr getenv(string name);
#pragma warning restore SYSLIB1054
}
