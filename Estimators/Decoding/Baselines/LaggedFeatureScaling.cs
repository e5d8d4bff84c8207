namespace MLNeuro.Estimators;

/// <summary>
/// Z-scoring of lagged features per unit: the mean and standard deviation of a unit's (square-rooted) counts over all
/// its lags and all training samples. One pair per unit rather than per feature because the lags of a unit are the same
/// signal shifted in time; it keeps the statistics stable for sparse units. A unit silent in the training part
/// (sd below 1e-6) gets scale 0: its features are zero, whatever it does later.
/// </summary>
/// <param name="Mean">Mean per unit.</param>
/// <param name="Std">Standard deviation per unit (0 for a unit that never fired in training).</param>
internal sealed record LaggedFeatureScaling(double[] Mean, double[] Std)
{
    /// <summary>Fits on row-major [samples, units * lags] features.</summary>
    public static LaggedFeatureScaling Fit(IEnumerable<float[]> features, int units, int lags)
    {
        var n = new long[units];
        var sum = new double[units];
        var squares = new double[units];
        int width = units * lags;
        foreach (var block in features)
        {
            for (int offset = 0; offset < block.Length; offset += width)
                for (int u = 0; u < units; u++)
                {
                    var unit = block.AsSpan(offset + u * lags, lags);
                    foreach (float v in unit) { sum[u] += v; squares[u] += (double)v * v; }
                    n[u] += lags;
                }
        }
        var mean = new double[units];
        var std = new double[units];
        for (int u = 0; u < units; u++)
        {
            if (n[u] == 0) continue;
            mean[u] = sum[u] / n[u];
            double sd = Math.Sqrt(Math.Max(squares[u] / n[u] - mean[u] * mean[u], 0));
            std[u] = sd < 1e-6 ? 0 : sd;
        }
        return new LaggedFeatureScaling(mean, std);
    }

    /// <summary>Scales row-major [samples, units * lags] features in place.</summary>
    public void Apply(Span<float> features, int lags)
    {
        int units = Mean.Length;
        int width = units * lags;
        var offsets = new float[units];
        var scales = new float[units];
        for (int u = 0; u < units; u++)
        {
            scales[u] = Std[u] > 0 ? (float)(1 / Std[u]) : 0f;
            offsets[u] = (float)Mean[u];
        }
        for (int offset = 0; offset < features.Length; offset += width)
            for (int u = 0; u < units; u++)
            {
                var unit = features.Slice(offset + u * lags, lags);
                for (int l = 0; l < unit.Length; l++) unit[l] = (unit[l] - offsets[u]) * scales[u];
            }
    }
}
