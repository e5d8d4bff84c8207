namespace MLNeuro.Estimators;

/// <summary>
/// Coefficient of determination per channel, accumulated over batches of (truth, prediction) pairs:
/// R² = 1 - Σ(y - ŷ)² / Σ(y - ȳ)², with ȳ the mean of the accumulated truth (the evaluation part's own mean, as
/// scikit-learn's <c>r2_score</c>). Elements whose truth is NaN are skipped; a NaN prediction of a finite truth is an
/// error, not a silent skip. 1 is perfect, 0 is as good as predicting the mean, negative is worse.
/// </summary>
public sealed class R2Accumulator
{
    private readonly long[] _n;
    private readonly double[] _sum, _sumSquares, _residual, _shift;

    /// <param name="channelCount">Number of channels.</param>
    public R2Accumulator(int channelCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channelCount);
        _n = new long[channelCount];
        _sum = new double[channelCount];
        _sumSquares = new double[channelCount];
        _residual = new double[channelCount];
        _shift = new double[channelCount];
    }

    /// <summary>Number of channels.</summary>
    public int ChannelCount => _n.Length;

    /// <summary>Adds row-major [sample, channel] truth and predictions of equal length.</summary>
    public void Add(ReadOnlySpan<float> truth, ReadOnlySpan<float> predicted)
    {
        if (truth.Length != predicted.Length)
            throw new ArgumentException($"{truth.Length} true values but {predicted.Length} predictions", nameof(predicted));
        int c = ChannelCount;
        if (truth.Length % c != 0) throw new ArgumentException($"{truth.Length} values are not a whole number of {c}-channel samples", nameof(truth));
        for (int i = 0; i < truth.Length; i++)
        {
            double y = truth[i];
            if (!double.IsFinite(y)) continue;
            double p = predicted[i];
            if (!double.IsFinite(p)) throw new ArgumentException($"prediction {i} is {p} for a finite true value", nameof(predicted));
            int k = i % c;
            // Sums of (y - first truth), not of y: Σy² - (Σy)²/n cancels catastrophically for channels with an offset
            // (pixels) and turned constant truth into R² of -1e10 instead of NaN. Shifted, constant truth sums to exactly 0.
            if (_n[k]++ == 0) _shift[k] = y;
            double d = y - _shift[k];
            _sum[k] += d;
            _sumSquares[k] += d * d;
            _residual[k] += (y - p) * (y - p);
        }
    }

    /// <summary>Number of finite true values per channel.</summary>
    public IReadOnlyList<long> Counts => _n;

    /// <summary>R² per channel; NaN for a channel without values or with constant truth.</summary>
    public double[] R2()
    {
        var r2 = new double[ChannelCount];
        for (int k = 0; k < r2.Length; k++)
        {
            double total = _n[k] == 0 ? 0 : _sumSquares[k] - _sum[k] * _sum[k] / _n[k];
            r2[k] = total > 0 ? 1 - _residual[k] / total : double.NaN;
        }
        return r2;
    }
}
