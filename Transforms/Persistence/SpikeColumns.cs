using Microsoft.ML;

namespace MLNeuro.Transforms;

/// <summary>
/// How a pair of spike columns is named: the spike times and unit indices of a window (or a unit's spike times in the
/// neuron view) share a stem, <c>{stem}_times</c> and <c>{stem}_units</c>. The views write the stem "spike"
/// (<c>spike_times</c>, <c>spike_units</c>); an augmentation given the output stem "jittered" writes
/// <c>jittered_times</c> and <c>jittered_units</c>, which a binning then reads with <c>inputColumnName: "jittered"</c>.
/// </summary>
/// <example><code>
/// string times = SpikeColumns.Times("spike");   // "spike_times"
/// var pipeline = ml.Transforms.JitterSpikes("jittered", "spike").Append(ml.Transforms.BinSpikes("counts", "jittered"));
/// </code></example>
public static class SpikeColumns
{
    /// <summary>The stem of the views' spike columns: "spike".</summary>
    public const string DefaultStem = "spike";

    /// <summary>The spike-times column of a stem: <c>{stem}_times</c>.</summary>
    public static string Times(string stem) => ColumnBindings.CheckName(stem, nameof(stem)) + "_times";

    /// <summary>The spike-units column of a stem: <c>{stem}_units</c>.</summary>
    public static string Units(string stem) => ColumnBindings.CheckName(stem, nameof(stem)) + "_units";
}
