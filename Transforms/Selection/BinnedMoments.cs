namespace MLNeuro.Transforms;

/// <summary>
/// Running central moments (count, mean, M2, M3, M4) of one unit's activity, built chunk by chunk: each chunk is
/// summarised with a two-pass computation (mean first, then central sums) and chunks are merged with the pairwise
/// update of Chan et al. / Pébay (2008). Both steps avoid the catastrophic cancellation of raw power sums, so a unit
/// with a large mean and tiny variance still gets accurate higher moments.
/// </summary>
internal struct BinnedMoments
{
    /// <summary>Number of samples (bins or frames).</summary>
    public long Count;

    /// <summary>Mean.</summary>
    public double Mean;

    /// <summary>Sum of squared deviations from the mean.</summary>
    public double M2;

    /// <summary>Sum of cubed deviations.</summary>
    public double M3;

    /// <summary>Sum of fourth-power deviations.</summary>
    public double M4;

    /// <summary>Summarises one chunk of samples with two passes.</summary>
    public static BinnedMoments Of(ReadOnlySpan<float> values)
    {
        var m = new BinnedMoments { Count = values.Length };
        if (values.Length == 0) return m;
        double sum = 0;
        foreach (var v in values) sum += v;
        double mean = sum / values.Length;
        double m2 = 0, m3 = 0, m4 = 0;
        foreach (var v in values)
        {
            double d = v - mean, d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }
        m.Mean = mean;
        m.M2 = m2;
        m.M3 = m3;
        m.M4 = m4;
        return m;
    }

    /// <summary>Adds another summary to this one (order-independent up to rounding).</summary>
    public void Merge(in BinnedMoments other)
    {
        if (other.Count == 0) return;
        if (Count == 0)
        {
            this = other;
            return;
        }
        double na = Count, nb = other.Count, n = na + nb;
        double delta = other.Mean - Mean, d2 = delta * delta;
        double m2 = M2 + other.M2 + d2 * na * nb / n;
        double m3 = M3 + other.M3 + d2 * delta * na * nb * (na - nb) / (n * n)
                    + 3 * delta * (na * other.M2 - nb * M2) / n;
        double m4 = M4 + other.M4 + d2 * d2 * na * nb * (na * na - na * nb + nb * nb) / (n * n * n)
                    + 6 * d2 * (na * na * other.M2 + nb * nb * M2) / (n * n)
                    + 4 * delta * (na * other.M3 - nb * M3) / n;
        Mean += delta * nb / n;
        M2 = m2;
        M3 = m3;
        M4 = m4;
        Count += other.Count;
    }

    /// <summary>
    /// Population (biased, g1) skewness m3 / m2^1.5 with m_k = M_k / n, as <c>scipy.stats.skew</c> computes by default;
    /// NaN when fewer than two samples or zero variance (a silent or perfectly regular unit has no defined shape).
    /// </summary>
    public readonly double Skewness => Defined ? M3 / Count / Math.Pow(M2 / Count, 1.5) : double.NaN;

    /// <summary>
    /// Population excess (Fisher, g2) kurtosis m4 / m2² - 3, as <c>scipy.stats.kurtosis</c> computes by default; NaN when
    /// undefined (see <see cref="Skewness"/>).
    /// </summary>
    public readonly double ExcessKurtosis
    {
        get
        {
            if (!Defined) return double.NaN;
            double m2 = M2 / Count;
            return M4 / Count / (m2 * m2) - 3;
        }
    }

    // A relative floor on the variance: after merging, rounding can leave M2 at ~1e-16 of the mean's scale for a
    // constant signal, which would turn into a meaningless huge skewness instead of "undefined".
    private readonly bool Defined => Count >= 2 && M2 > 1e-12 * Count * Math.Max(1.0, Mean * Mean);
}
