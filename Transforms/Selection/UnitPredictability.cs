namespace MLNeuro.Transforms;

/// <summary>The statistics and verdict for one unit, keyed by (session id, unit id).</summary>
/// <remarks>
/// With x_1..x_n the unit's activity samples (spike counts per bin, or dF/F per frame), mean x̄ and central moments
/// m_k = (1/n) Σ (x_i - x̄)^k: skewness g1 = m3 / m2^1.5 and excess kurtosis g2 = m4 / m2² - 3 (the biased,
/// population estimators that <c>scipy.stats.skew</c> and <c>scipy.stats.kurtosis</c> return by default). Computed
/// two-pass per chunk with a stable pairwise merge across chunks, intervals and recordings.
/// </remarks>
/// <param name="SessionId">Session the unit belongs to.</param>
/// <param name="UnitId">Unit id within the session.</param>
/// <param name="Skewness">Population skewness of the activity samples, or NaN when undefined (fewer than two samples or zero variance).</param>
/// <param name="Kurtosis">Population excess kurtosis, or NaN when undefined.</param>
/// <param name="SampleCount">Number of bins (or calcium frames) measured.</param>
/// <param name="SpikeCount">Spikes counted in those bins (0 for calcium traces).</param>
/// <param name="IsEligible">Whether the moments are defined and, for spikes, the unit has at least the minimum spike count.</param>
/// <param name="IsPredictable">The verdict; always false when not eligible.</param>
public readonly record struct UnitPredictability(string SessionId, string UnitId, double Skewness, double Kurtosis,
    long SampleCount, long SpikeCount, bool IsEligible, bool IsPredictable);
