using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// The tensors of one POYO batch of windows. Token and query times are float64 seconds relative to each window's start
/// (rotary angles need the precision); padding masks are true where an entry is padding.
/// </summary>
internal sealed class PoyoBatch : IDisposable
{
    /// <summary>[B, N] long: row of each token's unit in the unit vocabulary.</summary>
    public required Tensor UnitIndex { get; init; }

    /// <summary>[B, N] long: <see cref="MLNeuro.Transforms.TokenType"/> of each token.</summary>
    public required Tensor TokenType { get; init; }

    /// <summary>[B, N] float: the value of value tokens (calcium dF/F), 0 for spike tokens.</summary>
    public required Tensor TokenValue { get; init; }

    /// <summary>[B, N] double: token times.</summary>
    public required Tensor TokenTimes { get; init; }

    /// <summary>[B, N] bool: true where the token slot is padding.</summary>
    public required Tensor TokenPadding { get; init; }

    /// <summary>[B] long: row of each window's session in the session vocabulary.</summary>
    public required Tensor SessionIndex { get; init; }

    /// <summary>[B, Q] double: output (behaviour sample) times.</summary>
    public required Tensor QueryTimes { get; init; }

    /// <summary>[B, Q, C] float: normalised targets (0 where missing); null at inference.</summary>
    public Tensor? Targets { get; init; }

    /// <summary>[B, Q, C] float: loss weight of each target (0 for padding and NaN targets); null at inference.</summary>
    public Tensor? TargetWeights { get; init; }

    public void Dispose()
    {
        UnitIndex.Dispose();
        TokenType.Dispose();
        TokenValue.Dispose();
        TokenTimes.Dispose();
        TokenPadding.Dispose();
        SessionIndex.Dispose();
        QueryTimes.Dispose();
        Targets?.Dispose();
        TargetWeights?.Dispose();
    }
}
