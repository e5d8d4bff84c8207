using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>Pre-LayerNorm transformer block: x + attn(LN(x)), then x + ffn(LN(x)) (the norms live in the sublayers).</summary>
internal sealed class TransformerBlock : nn.Module<Tensor, Tensor?, Tensor?, Tensor>
{
    private readonly RotarySelfAttention attn;
    private readonly GegluFeedForward ffn;

    public TransformerBlock(int dim, int heads, int headDim, int ffnMult, RotaryEmbedding? rotary, Generator generator, bool rotateValue = false)
        : base(nameof(TransformerBlock))
    {
        attn = new RotarySelfAttention(dim, heads, headDim, rotary, generator, rotateValue);
        ffn = new GegluFeedForward(dim, ffnMult, generator);
        RegisterComponents();
    }

    /// <inheritdoc cref="RotarySelfAttention.forward"/>
    public override Tensor forward(Tensor x, Tensor? positions, Tensor? keyPaddingMask)
    {
        using var scope = NewDisposeScope();
        var h = x + attn.forward(x, positions, keyPaddingMask);
        return (h + ffn.forward(h)).MoveToOuterDisposeScope();
    }

    /// <summary>Writes the block into an ONNX graph; arguments as for <see cref="RotarySelfAttention.ExportOnnx"/>.</summary>
    public string ExportOnnx(OnnxGraphBuilder g, string x, string? rotaryCos, string? rotarySin, string? additiveMask)
    {
        var h = g.Add(x, attn.ExportOnnx(g, x, rotaryCos, rotarySin, additiveMask));
        return g.Add(h, ffn.ExportOnnx(g, h));
    }
}
