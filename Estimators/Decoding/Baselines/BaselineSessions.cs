using MLNeuro.Loaders;

namespace MLNeuro.Estimators;

/// <summary>Looks a session up among those a baseline was trained on.</summary>
internal static class BaselineSessions
{
    /// <summary>
    /// Checks a <c>Predict</c> call (recording given, destination large enough for every time and channel) and returns
    /// the index of the recording's session, or -1 when there is no time to predict.
    /// </summary>
    public static int ForPrediction(IReadOnlyList<SessionFeaturizer> featurizers, Recording recording, int times, int destination,
        int channels, string decoder)
    {
        ArgumentNullException.ThrowIfNull(recording);
        if (destination < times * channels)
            throw new ArgumentException($"destination holds {destination} values but {times} times x {channels} channels are needed", nameof(destination));
        return times == 0 ? -1 : IndexOf(featurizers, recording.SessionId, decoder);
    }

    /// <summary>Index of <paramref name="sessionId"/>; the error names it and the sessions the decoder knows.</summary>
    public static int IndexOf(IReadOnlyList<SessionFeaturizer> featurizers, string sessionId, string decoder)
    {
        for (int s = 0; s < featurizers.Count; s++)
            if (featurizers[s].SessionId == sessionId) return s;
        throw new ArgumentException(
            $"the {decoder} was not trained on session '{sessionId}' (its input layer is per session); it knows: {string.Join(", ", featurizers.Select(f => f.SessionId))}",
            "recording");
    }
}
