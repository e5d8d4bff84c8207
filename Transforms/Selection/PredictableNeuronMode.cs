namespace MLNeuro.Transforms;

/// <summary>How <see cref="PredictableNeuronSelector"/> decides which units are predictable.</summary>
public enum PredictableNeuronMode
{
    /// <summary>
    /// Predictable when skewness &lt;= <see cref="PredictableNeuronOptions.MaxSkewness"/> and excess kurtosis &lt;=
    /// <see cref="PredictableNeuronOptions.MaxKurtosis"/> (the POYO-SSL rule).
    /// </summary>
    Thresholds,

    /// <summary>
    /// Keep the <see cref="PredictableNeuronOptions.Quantile"/> fraction of eligible units that rank lowest on both
    /// statistics; see <see cref="PredictableNeuronOptions.Quantile"/> for the exact ordering.
    /// </summary>
    Quantile,
}
