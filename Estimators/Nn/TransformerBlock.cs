using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// Pre-LayerNorm transformer block: x + drop(attn(LN(x))), then x + drop(ffn(LN(x))) (the norms live in the sublayers).
/// Dropout is off unless asked for (NuCLR's reference puts 0.2 on both residual branches and inside the FFN; POYO uses
/// none), and always off in eval mode, so the ONNX export never contains it.
/// </summary>
internal sealed class TransformerBlock : nn.Module<Tensor, Tensor?, Tensor?, Tensor>
{
    private readonly RotarySelfAttention attn;
    private readonly GegluFeedForward ffn;
    private readonly SeededDropout dropout;

    public TransformerBlock(int dim, int heads, int headDim, int ffnMult, RotaryEmbedding? rotary, Generator generator, bool rotateValue = false,
        bool qkvBias = false, double dropoutProbability = 0, DropoutSource? dropoutSource = null)
        : base(nameof(TransformerBlock))
    {
        attn = new RotarySelfAttention(dim, heads, headDim, rotary, generator, rotateValue, qkvBias);
        ffn = new GegluFeedForward(dim, ffnMult, generator, dropoutProbability, dropoutSource);
        dropout = new SeededDropout(dropoutProbability, dropoutSource);
        RegisterComponents();
    }

    /// <inheritdoc cref="RotarySelfAttention.forward"/>
    public override Tensor forward(Tensor x, Tensor? positions, Tensor? keyPaddingMask)
    {
        using var scope = NewDisposeScope();
        var h = x + dropout.forward(attn.forward(x, positions, keyPaddingMask));
        return (h + dropout.forward(ffn.forward(h))).MoveToOuterDisposeScope();
    }

    /// <summary>Writes the block into an ONNX graph (eval mode: no dropout); arguments as for <see cref="RotarySelfAttention.ExportOnnx"/>.</summary>
    public string ExportOnnx(OnnxGraphBuilder g, string x, string? rotaryCos, string? rotarySin, string? additiveMask)
    {
        var h = g.Add(x, attn.ExportOnnx(g, x, rotaryCos, rotarySin, additiveMask));
        return g.Add(h, ffn.ExportOnnx(g, h));
    }
}
