namespace MLNeuro.Estimators;

/// <summary>
/// Training-time dropout rates of a transformer block, torch_brain's three: <paramref name="Attention"/> on the
/// attention weights (atn_dropout), <paramref name="FeedForward"/> on the GEGLU hidden layer (ffn_dropout) and
/// <paramref name="Residual"/> on each sublayer's output before it joins the residual stream (lin_dropout; POYO applies
/// it in the latent self-attention blocks only). Masks come from <paramref name="Source"/>.
/// </summary>
internal sealed record BlockDropout(double Attention, double FeedForward, double Residual, DropoutSource Source)
{
    /// <summary>True when any rate is positive.</summary>
    public bool Any => Attention > 0 || FeedForward > 0 || Residual > 0;
}
