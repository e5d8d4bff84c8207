using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// POYO's encoder layer: h = query + crossAttn(query, context), then h + ffn(h). Both sublayers are pre-LayerNorm
/// (the norms live in them), matching torch_brain's <c>enc_atn</c> followed by <c>enc_ffn = LayerNorm + FeedForward</c>
/// (GEGLU). Optional training-time dropout (<see cref="BlockDropout"/>): on the attention weights and inside the FFN, as
/// torch_brain's encoder and decoder; its residual rate is not used here (torch_brain applies lin_dropout only in the
/// processor). Dropout is the identity at inference, so the ONNX export has none.
/// </summary>
internal sealed class CrossAttentionBlock : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor?, Tensor>
{
    private readonly RotaryCrossAttention attn;
    private readonly GegluFeedForward ffn;

    /// <param name="dim">Width of the queries (latents) and of the output.</param>
    /// <param name="contextDim">Width of the context (spike) tokens.</param>
    /// <param name="heads">Cross-attention heads (POYO: 1).</param>
    /// <param name="headDim">Dimensions per head; must equal the rotary embedding's.</param>
    /// <param name="ffnMult">GEGLU hidden width as a multiple of <paramref name="dim"/> (POYO: 4).</param>
    /// <param name="rotary">The shared time rotation.</param>
    /// <param name="rotateValue">See <see cref="RotaryCrossAttention.RotateValue"/> (POYO's encoder: true).</param>
    /// <param name="generator">Draws the initial weights.</param>
    /// <param name="dropout">Training-time dropout (attention and FFN rates); null = none.</param>
    public CrossAttentionBlock(int dim, int contextDim, int heads, int headDim, int ffnMult, RotaryEmbedding rotary, bool rotateValue, Generator generator,
        BlockDropout? dropout = null)
        : base(nameof(CrossAttentionBlock))
    {
        attn = new RotaryCrossAttention(dim, contextDim, heads, headDim, rotary, rotateValue, generator, dropout?.Attention ?? 0, dropout?.Source);
        ffn = new GegluFeedForward(dim, ffnMult, generator, dropout?.FeedForward ?? 0, dropout?.Source);
        RegisterComponents();
    }

    /// <inheritdoc cref="RotaryCrossAttention.forward"/>
    public override Tensor forward(Tensor query, Tensor context, Tensor queryTimes, Tensor contextTimes, Tensor? keyPaddingMask)
    {
        using var scope = NewDisposeScope();
        var h = query + attn.forward(query, context, queryTimes, contextTimes, keyPaddingMask);
        return (h + ffn.forward(h)).MoveToOuterDisposeScope();
    }

    /// <summary>Writes the block into an ONNX graph; arguments as for <see cref="RotaryCrossAttention.ExportOnnx"/>.</summary>
    public string ExportOnnx(OnnxGraphBuilder g, string query, string context, (string Cos, string Sin) queryAngles,
        (string Cos, string Sin) contextAngles, string? additiveMask)
    {
        var h = g.Add(query, attn.ExportOnnx(g, query, context, queryAngles, contextAngles, additiveMask));
        return g.Add(h, ffn.ExportOnnx(g, h));
    }
}
