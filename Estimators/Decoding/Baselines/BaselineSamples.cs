using MLNeuro.Loaders;
using MLNeuro.Transforms;

namespace MLNeuro.Estimators;

/// <summary>Samples of one session's part (train or validation): scaled features and normalised targets.</summary>
/// <param name="Features">Row-major [Count, width].</param>
/// <param name="Targets">Normalised targets, row-major [Count, channels]; NaN where the behaviour is missing.</param>
/// <param name="Count">Number of samples.</param>
internal sealed record BaselineSamples(float[] Features, float[] Targets, int Count);

/// <summary>Per-session featurizers and the train / validation samples of every session, as the baselines train on them.</summary>
internal sealed record BaselineTrainingSet(
    IReadOnlyList<SessionFeaturizer> Featurizers,
    ChannelNormalization Normalization,
    IReadOnlyList<BaselineSamples> Train,
    IReadOnlyList<BaselineSamples> Validation)
{
    /// <summary>True when every session has validation samples to choose settings on.</summary>
    public bool HasValidation => Validation.All(v => v.Count > 0);

    /// <summary>
    /// Reads the behaviour of the Train and Validation intervals only (the Evaluation intervals are never touched),
    /// computes raw features interval by interval, fits each session's feature scaling on its training samples and the
    /// channel normalisation on all training targets.
    /// </summary>
    public static BaselineTrainingSet Read(IReadOnlyList<Recording> recordings, IReadOnlyList<DecodingSplit> splits,
        IReadOnlyList<string> channels, double binSeconds, int lags, int leads, CancellationToken cancellationToken)
    {
        CheckInputs(recordings, splits, channels);
        int sessions = recordings.Count;
        var rawTrain = new (List<float[]> Features, List<BehaviorTargets> Targets)[sessions];
        var rawValidation = new (List<float[]> Features, List<BehaviorTargets> Targets)[sessions];
        for (int s = 0; s < sessions; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rawTrain[s] = ReadPart(recordings[s], splits[s].Train, channels, binSeconds, lags, leads);
            rawValidation[s] = ReadPart(recordings[s], splits[s].Validation, channels, binSeconds, lags, leads);
            if (rawTrain[s].Targets.Sum(t => t.Count) == 0)
                throw new ArgumentException($"session '{recordings[s].SessionId}' has no behaviour sample inside its training intervals", nameof(splits));
        }
        var normalization = ChannelNormalization.Fit(rawTrain.SelectMany(r => r.Targets), channels);
        var featurizers = new SessionFeaturizer[sessions];
        var train = new BaselineSamples[sessions];
        var validation = new BaselineSamples[sessions];
        for (int s = 0; s < sessions; s++)
        {
            featurizers[s] = SessionFeaturizer.Fit(recordings[s].SessionId, recordings[s].Units.Count, binSeconds, lags, leads, rawTrain[s].Features);
            train[s] = Finish(rawTrain[s], featurizers[s], normalization);
            validation[s] = Finish(rawValidation[s], featurizers[s], normalization);
        }
        return new BaselineTrainingSet(featurizers, normalization, train, validation);
    }

    private static (List<float[]> Features, List<BehaviorTargets> Targets) ReadPart(Recording recording, IntervalSet intervals,
        IReadOnlyList<string> channels, double binSeconds, int lags, int leads)
    {
        var features = new List<float[]>();
        var targets = new List<BehaviorTargets>();
        foreach (var interval in intervals)
        {
            var part = BehaviorTargets.Read(recording, channels, [interval]);
            if (part.Count == 0) continue;
            features.Add(LaggedCountFeatures.Compute(recording, part.Times, binSeconds, lags, leads));
            targets.Add(part);
        }
        return (features, targets);
    }

    private static BaselineSamples Finish((List<float[]> Features, List<BehaviorTargets> Targets) raw, SessionFeaturizer featurizer,
        ChannelNormalization normalization)
    {
        var features = Concat(raw.Features);
        featurizer.Scaling.Apply(features, featurizer.Lags);
        var values = raw.Targets.SelectMany(t => t.Values).ToArray();
        normalization.Normalize(values, values);
        return new BaselineSamples(features, values, raw.Targets.Sum(t => t.Count));
    }

    private static float[] Concat(List<float[]> blocks)
    {
        if (blocks.Count == 1) return blocks[0];
        var all = new float[blocks.Sum(b => (long)b.Length)];
        long offset = 0;
        foreach (var block in blocks)
        {
            Array.Copy(block, 0, all, offset, block.Length);
            offset += block.Length;
        }
        return all;
    }

    private static void CheckInputs(IReadOnlyList<Recording> recordings, IReadOnlyList<DecodingSplit> splits, IReadOnlyList<string> channels)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        ArgumentNullException.ThrowIfNull(splits);
        ArgumentNullException.ThrowIfNull(channels);
        if (recordings.Count == 0) throw new ArgumentException("no recording to train on", nameof(recordings));
        if (channels.Count == 0) throw new ArgumentException("no behaviour channel to decode", nameof(channels));
        if (splits.Count != recordings.Count)
            throw new ArgumentException($"{recordings.Count} recordings but {splits.Count} splits", nameof(splits));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int s = 0; s < recordings.Count; s++)
        {
            if (!seen.Add(recordings[s].SessionId))
                throw new ArgumentException($"session '{recordings[s].SessionId}' appears twice", nameof(recordings));
            if (splits[s].SessionId != recordings[s].SessionId)
                throw new ArgumentException($"split {s} is for session '{splits[s].SessionId}' but recording {s} is '{recordings[s].SessionId}'", nameof(splits));
        }
    }
}
