namespace MLNeuro.Estimators;

/// <summary>Looks a session up among those a baseline was trained on.</summary>
internal static class BaselineSessions
{
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
