using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// Pre-LayerNorm multi-head self-attention with optional rotary position on queries and keys and a key padding mask
/// (bool [batch, seq], true = padded). Returns the attention output only; the residual is the block's job.
/// With <c>rotateValue</c> (POYO's latent self-attention, as torch_brain's flag) values are rotated by their token's
/// position and the output back by the query's, so what a token reads from another depends only on their relative
/// position (see <see cref="RotaryCrossAttention"/>). With <c>qkvBias</c> the fused q/k/v projection has a bias (NuCLR's
/// reference; POYO's has none).
/// </summary>
internal sealed class RotarySelfAttention : nn.Module<Tensor, Tensor?, Tensor?, Tensor>
{
    private readonly int _heads;
    private readonly int _headDim;
    private readonly RotaryEmbedding? _rotary;
    private readonly bool _rotateValue;
    private readonly double _dropout;
    private readonly DropoutSource? _dropoutSource;

    // Named like the PyTorch state-dict keys.
    private readonly LayerNorm norm;
    private readonly Linear to_qkv;
    private readonly Linear to_out;

    /// <param name="dim">Token width.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="headDim">Dimensions per head; must equal the rotary embedding's.</param>
    /// <param name="rotary">Rotation by position, or null for none.</param>
    /// <param name="generator">Draws the initial weights.</param>
    /// <param name="rotateValue">Rotate values by key position and the output back by query position.</param>
    /// <param name="qkvBias">Biases on the query, key and value projections (NuCLR's reference has them).</param>
    /// <param name="dropout">Training-time dropout on the attention weights (torch_brain's atn_dropout); 0 = none.</param>
    /// <param name="dropoutSource">Where the masks come from; required when <paramref name="dropout"/> is positive.</param>
    public RotarySelfAttention(int dim, int heads, int headDim, RotaryEmbedding? rotary, Generator generator, bool rotateValue = false,
        bool qkvBias = false, double dropout = 0, DropoutSource? dropoutSource = null)
        : base(nameof(RotarySelfAttention))
    {
        if (dropout > 0 && dropoutSource is null) throw new ArgumentNullException(nameof(dropoutSource), "attention dropout needs a dropout source");
        _dropout = dropout;
        _dropoutSource = dropoutSource;
        if (rotary is not null && rotary.HeadDim != headDim)
            throw new ArgumentException($"rotary head dim {rotary.HeadDim} differs from headDim {headDim}", nameof(rotary));
        if (rotateValue && rotary is null) throw new ArgumentException("rotating values needs a rotary embedding", nameof(rotateValue));
        _heads = heads;
        _headDim = headDim;
        _rotary = rotary;
        _rotateValue = rotateValue;
        norm = nn.LayerNorm(dim);
        to_qkv = nn.Linear(dim, 3L * heads * headDim, hasBias: qkvBias);
        to_out = nn.Linear((long)heads * headDim, dim);
        SeededInit.Reset(to_qkv, generator);
        SeededInit.Reset(to_out, generator);
        RegisterComponents();
    }

    /// <param name="x">[batch, seq, dim].</param>
    /// <param name="positions">[batch, seq] float positions; required when rotary is on, ignored otherwise.</param>
    /// <param name="keyPaddingMask">[batch, seq] bool, true where the token is padding (never attended to).</param>
    public override Tensor forward(Tensor x, Tensor? positions, Tensor? keyPaddingMask)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], seq = x.shape[1];
        var qkv = to_qkv.forward(norm.forward(x))
            .view(batch, seq, 3, _heads, _headDim)
            .permute(2, 0, 3, 1, 4); // [3, batch, heads, seq, headDim]
        var q = qkv[0];
        var k = qkv[1];
        var v = qkv[2];
        if (_rotary is not null)
        {
            if (positions is null) throw new ArgumentNullException(nameof(positions), "rotary attention needs positions");
            q = _rotary.Rotate(q, positions);
            k = _rotary.Rotate(k, positions);
            if (_rotateValue) v = _rotary.Rotate(v, positions);
        }
        // SDPA's boolean mask means "may attend"; broadcast over heads and queries.
        Tensor? attendMask = keyPaddingMask is null ? null : keyPaddingMask.logical_not().view(batch, 1, 1, seq);
        var attended = AttentionKernel.Attend(q, k, v, attendMask, _dropout, _dropoutSource, training);
        if (_rotateValue) attended = _rotary!.Rotate(attended, positions!.neg());
        var merged = attended.transpose(1, 2).reshape(batch, seq, (long)_heads * _headDim);
        return to_out.forward(merged).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Writes the attention sublayer into an ONNX graph (mirrors <see cref="forward"/>) and returns the output's name.
    /// </summary>
    /// <param name="g">The graph being written.</param>
    /// <param name="x">[batch, seq, dim].</param>
    /// <param name="rotaryCos">cos of the rotary angles, broadcastable to [batch, 1, seq, rotaryDim/2] (see
    /// <see cref="RotaryEmbedding.ExportRotate"/>); required when rotary is on.</param>
    /// <param name="rotarySin">sin of the same angles.</param>
    /// <param name="additiveMask">Optional additive score mask broadcastable to [batch, heads, seq, seq] (0 keeps a key,
    /// -1e9 drops it).</param>
    public string ExportOnnx(OnnxGraphBuilder g, string x, string? rotaryCos, string? rotarySin, string? additiveMask)
    {
        long inner = (long)_heads * _headDim;
        var qkv = g.Split(g.Linear(g.LayerNorm(x, norm.weight!, norm.bias!), to_qkv.weight!, to_qkv.bias), -1, inner, inner, inner);
        // The fused projection is laid out [3][heads][headDim] like the view in forward, so splitting the last axis in
        // three thirds gives q, k and v. Reshape's 0 copies the batch dim, whatever it is at run time.
        string Heads(string t) => g.Transpose(g.Reshape(t, 0, -1, _heads, _headDim), 0, 2, 1, 3); // [batch, heads, seq, hd]
        var q = Heads(qkv[0]);
        var k = Heads(qkv[1]);
        var v = Heads(qkv[2]);
        if (_rotary is not null)
        {
            if (rotaryCos is null || rotarySin is null) throw new ArgumentNullException(nameof(rotaryCos), "rotary attention needs cos and sin");
            q = _rotary.ExportRotate(g, q, rotaryCos, rotarySin);
            k = _rotary.ExportRotate(g, k, rotaryCos, rotarySin);
            if (_rotateValue) v = _rotary.ExportRotate(g, v, rotaryCos, rotarySin);
        }
        // SDPA's default scale is 1/sqrt(headDim).
        var scores = g.Mul(g.MatMul(q, g.Transpose(k, 0, 1, 3, 2)), g.Scalar((float)(1 / Math.Sqrt(_headDim))));
        if (additiveMask is not null) scores = g.Add(scores, additiveMask);
        var attended = g.MatMul(g.Softmax(scores, -1), v);
        // cos(-a) = cos(a), sin(-a) = -sin(a): the inverse rotation needs only a negated sin.
        if (_rotateValue) attended = _rotary!.ExportRotate(g, attended, rotaryCos!, g.Neg(rotarySin!));
        var merged = g.Reshape(g.Transpose(attended, 0, 2, 1, 3), 0, -1, inner);
        return g.Linear(merged, to_out.weight!, to_out.bias);
    }
}
