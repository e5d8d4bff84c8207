namespace MLNeuro.Estimators;

/// <summary>
/// TorchSharp's native library cannot load on this machine. The message is one line that names the fix
/// (on Debian 12: <c>eng/install-prereqs.sh</c>, which installs libstdc++ from GCC 13+).
/// </summary>
public sealed class TorchUnavailableException : Exception
{
    /// <summary>Creates the exception with the message the user sees.</summary>
    public TorchUnavailableException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
