namespace MLNeuro.Estimators;

/// <summary>R² of one session (or of all sessions pooled) per channel and their mean.</summary>
/// <param name="SessionId">The session, or null for the pooled figure.</param>
/// <param name="R2">R² per channel, in the decoder's channel order.</param>
/// <param name="Samples">Behaviour samples scored.</param>
public sealed record DecodingScore(string? SessionId, IReadOnlyList<double> R2, long Samples)
{
    /// <summary>Mean of the per-channel R² (the <c>r2</c> figure reports quote).</summary>
    public double MeanR2 => R2.Count == 0 ? double.NaN : R2.Average();
}

/// <summary>True and decoded behaviour of one session's evaluation part, in original units, for plots.</summary>
/// <param name="SessionId">The session.</param>
/// <param name="Targets">Times and true values.</param>
/// <param name="Predicted">Predicted values, row-major like <see cref="BehaviorTargets.Values"/>.</param>
public sealed record DecodedTrace(string SessionId, BehaviorTargets Targets, float[] Predicted);

/// <summary>What <see cref="DecodingEvaluator.Evaluate"/> measured.</summary>
/// <param name="Channels">The channels, in order.</param>
/// <param name="Pooled">R² over every evaluation sample of every session (R² about the pooled mean).</param>
/// <param name="Sessions">R² per session (about each session's own mean).</param>
/// <param name="Traces">The true and decoded traces per session.</param>
public sealed record DecodingEvaluation(IReadOnlyList<string> Channels, DecodingScore Pooled, IReadOnlyList<DecodingScore> Sessions, IReadOnlyList<DecodedTrace> Traces)
{
    /// <summary>Mean over sessions of each session's mean R² (POYO's headline figure: sessions weigh alike).</summary>
    public double MeanSessionR2 => Sessions.Count == 0 ? double.NaN : Sessions.Average(s => s.MeanR2);
}
