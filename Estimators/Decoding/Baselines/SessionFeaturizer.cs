using MLNeuro.Loaders;

namespace MLNeuro.Estimators;

/// <summary>
/// One session's feature map: lagged square-rooted counts (<see cref="LaggedCountFeatures"/>) z-scored with scaling
/// fitted on that session's training samples. Serialisable (System.Text.Json) as part of a baseline's manifest.
/// </summary>
/// <param name="SessionId">The session.</param>
/// <param name="UnitCount">Units the session had in training; predicting on a recording with another count is an error.</param>
/// <param name="BinSeconds">Bin width.</param>
/// <param name="Lags">Bins per unit.</param>
/// <param name="Scaling">Per-unit z-scoring.</param>
internal sealed record SessionFeaturizer(string SessionId, int UnitCount, double BinSeconds, int Lags, LaggedFeatureScaling Scaling)
{
    /// <summary>Bins after the one holding the prediction time that the window reaches (0 = causal).</summary>
    public int Leads { get; init; }

    /// <summary>Features per sample.</summary>
    public int Width => UnitCount * Lags;

    /// <summary>Scaled features of <paramref name="times"/>, row-major [times, Width].</summary>
    public float[] Features(Recording recording, ReadOnlySpan<double> times)
    {
        CheckRecording(recording);
        var features = LaggedCountFeatures.Compute(recording, times, BinSeconds, Lags, Leads);
        Scaling.Apply(features, Lags);
        return features;
    }

    /// <summary>Throws when <paramref name="recording"/> is not this session or has another unit count.</summary>
    public void CheckRecording(Recording recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        if (recording.SessionId != SessionId)
            throw new ArgumentException($"recording is session '{recording.SessionId}', not '{SessionId}'", nameof(recording));
        if (recording.Units.Count != UnitCount)
            throw new ArgumentException(
                $"session '{SessionId}' has {recording.Units.Count} units but the decoder was trained on {UnitCount}", nameof(recording));
    }

    /// <summary>The featurizer of a session, its scaling fitted on the raw features of the training samples.</summary>
    public static SessionFeaturizer Fit(string sessionId, int unitCount, double binSeconds, int lags, int leads, IEnumerable<float[]> rawTrainingFeatures) =>
        new(sessionId, unitCount, binSeconds, lags, LaggedFeatureScaling.Fit(rawTrainingFeatures, unitCount, lags)) { Leads = leads };
}
