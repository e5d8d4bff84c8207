namespace MLNeuro.Transforms;

/// <summary>
/// The fixed column names MLNeuro's row mappings declare. A <c>CustomMapping</c> reads and writes the names on its row
/// classes' attributes, so the user's names cannot reach it directly: each chain copies the user's input columns to
/// these names, runs the mapping, copies its outputs to the user's names and drops these again (see
/// <see cref="ColumnBindings"/>). The prefix keeps them clear of any user column, so two transforms of one kind in one
/// pipeline (two binnings) and a transform whose output replaces its input (in-place augmentation) never collide.
/// </summary>
internal static class MappingColumns
{
    private const string Prefix = "__mlneuro_";

    /// <summary>Spike times the window and neuron mappings read.</summary>
    public const string InSpikeTimes = Prefix + "in_spike_times";

    /// <summary>Spike units the window mappings read.</summary>
    public const string InSpikeUnits = Prefix + "in_spike_units";

    /// <summary>Prefix of every mapping output; the rest of the name is the output's part (e.g. "counts").</summary>
    public const string Out = Prefix + "out_";

    /// <summary>Spike times an augmentation writes.</summary>
    public const string OutSpikeTimes = Out + "spike_times";

    /// <summary>Spike units an augmentation writes.</summary>
    public const string OutSpikeUnits = Out + "spike_units";

    /// <summary>True for a name reserved here: user column names must not start with the prefix.</summary>
    public static bool IsReserved(string name) => name.StartsWith(Prefix, StringComparison.Ordinal);
}
