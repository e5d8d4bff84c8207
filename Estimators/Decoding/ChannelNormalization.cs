namespace MLNeuro.Estimators;

/// <summary>
/// Per-channel z-scoring of behaviour targets: mean and standard deviation over the finite training values of all
/// training sessions. Decoders train on normalised targets (so channels in pixels and in m/s weigh alike in the loss)
/// and report predictions in the original units.
/// </summary>
/// <param name="Mean">Mean of each channel.</param>
/// <param name="Std">Standard deviation of each channel (population), at least 1e-8 so that a constant channel does not divide by zero.</param>
public sealed record ChannelNormalization(double[] Mean, double[] Std)
{
    /// <summary>Fits mean and sd per channel over the finite values of <paramref name="targets"/>; throws naming a channel with no finite value.</summary>
    public static ChannelNormalization Fit(IEnumerable<BehaviorTargets> targets, IReadOnlyList<string> channels)
    {
        ArgumentNullException.ThrowIfNull(targets);
        int c = channels.Count;
        var n = new long[c];
        var mean = new double[c];
        var m2 = new double[c];
        foreach (var t in targets)
        {
            if (t.ChannelCount != c) throw new ArgumentException($"targets have {t.ChannelCount} channels, expected {c}", nameof(targets));
            for (int i = 0; i < t.Count; i++)
            {
                for (int k = 0; k < c; k++)
                {
                    double v = t.Values[i * c + k];
                    if (!double.IsFinite(v)) continue;
                    // Welford: stable for channels with a large offset (positions in pixels).
                    n[k]++;
                    double delta = v - mean[k];
                    mean[k] += delta / n[k];
                    m2[k] += delta * (v - mean[k]);
                }
            }
        }
        var std = new double[c];
        for (int k = 0; k < c; k++)
        {
            if (n[k] == 0) throw new ArgumentException($"behaviour channel '{channels[k]}' has no finite value in the training part", nameof(targets));
            std[k] = Math.Max(Math.Sqrt(m2[k] / n[k]), 1e-8);
        }
        return new ChannelNormalization(mean, std);
    }

    /// <summary>Number of channels.</summary>
    public int ChannelCount => Mean.Length;

    /// <summary>(v - mean) / sd, element by element over row-major [sample, channel] values; NaN stays NaN.</summary>
    public void Normalize(ReadOnlySpan<float> values, Span<float> destination)
    {
        int c = ChannelCount;
        for (int i = 0; i < values.Length; i++) destination[i] = (float)((values[i] - Mean[i % c]) / Std[i % c]);
    }

    /// <summary>v * sd + mean, element by element over row-major [sample, channel] values (in place allowed).</summary>
    public void Denormalize(ReadOnlySpan<float> values, Span<float> destination)
    {
        int c = ChannelCount;
        for (int i = 0; i < values.Length; i++) destination[i] = (float)(values[i] * Std[i % c] + Mean[i % c]);
    }
}
