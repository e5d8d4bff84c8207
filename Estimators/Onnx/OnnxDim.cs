namespace MLNeuro.Estimators;

/// <summary>
/// One dimension of a graph input or output: either a fixed size or a symbolic name (such as <c>"N"</c>) that ONNX
/// Runtime binds per call. Converts implicitly from <see cref="long"/> and <see cref="string"/>, so shapes read as
/// <c>builder.Input("x", OnnxElementType.Float, 1, "N")</c>.
/// </summary>
internal readonly record struct OnnxDim
{
    private OnnxDim(long? value, string? symbol) => (Value, Symbol) = (value, symbol);

    /// <summary>The fixed size, or null for a symbolic dimension.</summary>
    public long? Value { get; }

    /// <summary>The symbolic name, or null for a fixed dimension.</summary>
    public string? Symbol { get; }

    /// <summary>A fixed dimension.</summary>
    public static implicit operator OnnxDim(long value) =>
        value >= 0 ? new(value, null) : throw new ArgumentOutOfRangeException(nameof(value), value, "A fixed ONNX dimension must be non-negative; use a symbolic name for a variable one.");

    /// <summary>A symbolic dimension.</summary>
    public static implicit operator OnnxDim(string symbol) =>
        string.IsNullOrWhiteSpace(symbol) ? throw new ArgumentException("A symbolic ONNX dimension needs a name.", nameof(symbol)) : new(null, symbol);

    /// <inheritdoc/>
    public override string ToString() => Symbol ?? Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
