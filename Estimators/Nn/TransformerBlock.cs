using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// Pre-LayerNorm transformer block: x + attn(LN(x)), then x + ffn(LN(x)) (the norms live in the sublayers). With
/// <see cref="BlockDropout"/>, training adds dropout on the attention weights, in the FFN, and on each sublayer's output
/// before the residual sum (torch_brain's POYO processor: <c>latents + dropout(self_attn(latents))</c>; NuCLR's reference
/// puts 0.2 on both residual branches and in the FFN). Dropout is always off in eval mode, so the ONNX export never contains it.
/// </summary>
internal sealed class TransformerBlock : nn.Module<Tensor, Tensor?, Tensor?, Tensor>
{
    private readonly RotarySelfAttention attn;
    private readonly GegluFeedForward ffn;
    private readonly BlockDropout? _dropout;

    public TransformerBlock(int dim, int heads, int headDim, int ffnMult, RotaryEmbedding? rotary, Generator generator, bool rotateValue = false,
        bool qkvBias = false, BlockDropout? dropout = null)
        : base(nameof(TransformerBlock))
    {
        _dropout = dropout is { Any: true } ? dropout : null;
        attn = new RotarySelfAttention(dim, heads, headDim, rotary, generator, rotateValue, qkvBias, _dropout?.Attention ?? 0, _dropout?.Source);
        ffn = new GegluFeedForward(dim, ffnMult, generator, _dropout?.FeedForward ?? 0, _dropout?.Source);
        RegisterComponents();
    }

    /// <inheritdoc cref="RotarySelfAttention.forward"/>
    public override Tensor forward(Tensor x, Tensor? positions, Tensor? keyPaddingMask)
    {
        using var scope = NewDisposeScope();
        var h = x + Residual(attn.forward(x, positions, keyPaddingMask));
        return (h + Residual(ffn.forward(h))).MoveToOuterDisposeScope();
    }

    private Tensor Residual(Tensor update) => _dropout is null ? update : _dropout.Source.Apply(update, _dropout.Residual, training);

    /// <summary>Writes the block into an ONNX graph (eval mode: no dropout); arguments as for <see cref="RotarySelfAttention.ExportOnnx"/>.</summary>
    public string ExportOnnx(OnnxGraphBuilder g, string x, string? rotaryCos, string? rotarySin, string? additiveMask)
    {
        var h = g.Add(x, attn.ExportOnnx(g, x, rotaryCos, rotarySin, additiveMask));
        return g.Add(h, ffn.ExportOnnx(g, h));
    }
}
