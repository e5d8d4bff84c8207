namespace MLNeuro.Transforms;

/// <summary>
/// Settings of <see cref="SpikeTokenizer"/>. Every default is documented on its property; <see cref="Validate"/> (called
/// by every tokenizer entry point) throws <see cref="ArgumentOutOfRangeException"/> naming the option at fault.
/// </summary>
/// <example><code>
/// var options = new SpikeTokenizerOptions { MaxTokens = 4096, StartEndTokensFor = StartEndTokenUnits.UnitsWithSpikes };
/// SpikeTokenizer.Tokenize(recording, 10.0, 11.0, options, tokens);
/// </code></example>
public sealed class SpikeTokenizerOptions
{
    /// <summary>The default of <see cref="MaxTokens"/>: 16,384.</summary>
    public const int DefaultMaxTokens = 16_384;

    /// <summary>
    /// Most tokens one window may produce, start and end tokens included. Default <see cref="DefaultMaxTokens"/>
    /// (16,384): a 1 s window of 1,000 units firing at 10 Hz plus their 2,000 start/end tokens fits without loss, while
    /// bounding the encoder's cross-attention input (its memory grows linearly with the token count). At least 1.
    /// Start and end tokens are never dropped; when the spikes do not fit in what is left, they are thinned as
    /// <see cref="SpikeTokenizer"/> documents and the number dropped is reported in <see cref="SpikeTokens.DroppedSpikes"/>.
    /// </summary>
    public int MaxTokens { get; init; } = DefaultMaxTokens;

    /// <summary>Whether each unit gets a <see cref="TokenType.UnitStart"/> and a <see cref="TokenType.UnitEnd"/> token. Default true (POYO).</summary>
    public bool EmitStartEndTokens { get; init; } = true;

    /// <summary>
    /// Which units get start and end tokens when <see cref="EmitStartEndTokens"/> is true. Default
    /// <see cref="StartEndTokenUnits.AllUnits"/>, as the POYO reference (every unit of the population, spiking or not).
    /// </summary>
    public StartEndTokenUnits StartEndTokensFor { get; init; } = StartEndTokenUnits.AllUnits;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (MaxTokens < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxTokens), MaxTokens, "MaxTokens must be at least 1");
        if (!Enum.IsDefined(StartEndTokensFor))
            throw new ArgumentOutOfRangeException(nameof(StartEndTokensFor), StartEndTokensFor, "StartEndTokensFor must be UnitsWithSpikes or AllUnits");
    }
}
