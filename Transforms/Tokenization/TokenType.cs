namespace MLNeuro.Transforms;

/// <summary>
/// The kind of a token, as POYO's token-type embedding sees it. The numeric values are part of the contract (they index
/// the embedding table of a trained model), so they never change.
/// </summary>
/// <example><code>
/// for (int i = 0; i &lt; tokens.Count; i++)
///     if (tokens.Types[i] == TokenType.Spike) Console.WriteLine($"unit {tokens.UnitIndices[i]} at {tokens.Times[i]} s");
/// </code></example>
public enum TokenType : byte
{
    /// <summary>One spike of one unit, at its time relative to the window start.</summary>
    Spike = 0,

    /// <summary>Marks the start of the window for one unit (time 0).</summary>
    UnitStart = 1,

    /// <summary>Marks the end of the window for one unit (time = window length).</summary>
    UnitEnd = 2,

    /// <summary>A calcium-trace sample of one unit at one frame: the dF/F is in <see cref="SpikeTokens.Values"/> (POYO-SSL's value tokens).</summary>
    Value = 3,
}
