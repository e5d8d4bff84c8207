namespace MLNeuro.Transforms;

/// <summary>Which signal the selector measures a unit's activity on.</summary>
public enum ActivitySource
{
    /// <summary>Calcium traces when the recording has them, binned spike counts otherwise.</summary>
    Auto,

    /// <summary>Spike counts in bins of <see cref="PredictableNeuronOptions.BinSeconds"/>.</summary>
    BinnedSpikes,

    /// <summary>The dF/F values of the calcium traces, one sample per frame (the signal the paper's thresholds come from).</summary>
    CalciumTraces,
}
