using System.Collections.Concurrent;
using MLNeuro.Loaders;

namespace MLNeuro.Transforms;

/// <summary>
/// Measures one neuron-view row with <see cref="PredictableNeuronSelector"/> itself (a one-unit recording over the
/// session's domain), so the estimator's statistics and verdicts are the plain API's by construction, not a copy of
/// its moment math.
/// </summary>
internal static class SingleUnitMeasure
{
    private static readonly UnitTable OneUnit = new([new UnitInfo("unit")]);
    private static readonly ConcurrentDictionary<PredictableNeuronModelOptions, PredictableNeuronSelector> Selectors = new();

    public static UnitPredictability Measure(ReadOnlySpan<double> spikeTimes, double start, double end, PredictableNeuronModelOptions options)
    {
        var selector = Selectors.GetOrAdd(options, static o => new PredictableNeuronSelector(o.ToSelectorOptions()));
        var units = new int[spikeTimes.Length]; // all zeros: the row's one unit
        var spikes = SpikeTrain.FromUnsorted(spikeTimes, units, 1);
        var recording = new Recording("row", "row", OneUnit, spikes, start, end);
        return selector.Fit([recording]).Units[0];
    }
}
