using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// Multi-head cross-attention with rotary time, as torch_brain's <c>RotaryCrossAttention</c> (POYO's encoder and
/// decoder): queries (e.g. latent tokens) attend to a context (e.g. spike tokens); each side is pre-LayerNormed with
/// its own norm; time enters only by rotating queries and keys by their timestamps, so attention scores depend on
/// query-minus-key time. Returns the attention output only; the residual is the block's job.
/// </summary>
/// <remarks>
/// <para><b>Value rotation</b> (<c>rotateValue</c>, as torch_brain's flag of that name, on in POYO's encoder, off in its
/// decoder): each value is rotated by its key's time before the weighted sum and the result is rotated back by the
/// query's time, so the value path carries R(t_key - t_query) v: what a latent reads from a spike also depends only on
/// their relative timing, not on where the window sits in the recording.</para>
/// <para><b>Pairing</b>: torch_brain rotates interleaved pairs (2i, 2i+1) of the first rotated dims; <see
/// cref="RotaryEmbedding"/> pairs (i, i + r/2). Both rotate the same first r dims with the same periods, so they are
/// the same model up to a fixed permutation of the projection rows; importing torch_brain weights would need that
/// permutation of <c>to_q</c>, <c>to_kv</c> (and of <c>to_out</c>'s columns when values rotate).</para>
/// <para><b>Mask</b>: true marks a padded key (MLNeuro's convention; torch_brain's <c>context_mask</c> is the opposite,
/// true = real). Every query row must keep at least one real key: POYO always has each unit's start and end tokens.</para>
/// </remarks>
internal sealed class RotaryCrossAttention : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor?, Tensor>
{
    private readonly int _heads;
    private readonly int _headDim;
    private readonly RotaryEmbedding _rotary;
    private readonly bool _rotateValue;
    private readonly double _dropout;
    private readonly DropoutSource? _dropoutSource;

    // Named like torch_brain's state-dict keys.
    private readonly LayerNorm norm;
    private readonly LayerNorm norm_context;
    private readonly Linear to_q;
    private readonly Linear to_kv;
    private readonly Linear to_out;

    /// <param name="dim">Width of the queries and of the output.</param>
    /// <param name="contextDim">Width of the context tokens.</param>
    /// <param name="heads">Attention heads (POYO uses 1 for cross-attention).</param>
    /// <param name="headDim">Dimensions per head; must equal the rotary embedding's.</param>
    /// <param name="rotary">The time rotation, shared with the rest of the model (POYO: headDim/2 rotated dims, periods 1e-4 .. ~2 s).</param>
    /// <param name="rotateValue">Rotate values by key time and the output back by query time (POYO's encoder: true).</param>
    /// <param name="generator">Draws the initial weights, so they depend on the seed alone.</param>
    /// <param name="dropout">Training-time dropout on the attention weights (torch_brain's atn_dropout); 0 = none.</param>
    /// <param name="dropoutSource">Where the masks come from; required when <paramref name="dropout"/> is positive.</param>
    public RotaryCrossAttention(int dim, int contextDim, int heads, int headDim, RotaryEmbedding rotary, bool rotateValue, Generator generator,
        double dropout = 0, DropoutSource? dropoutSource = null)
        : base(nameof(RotaryCrossAttention))
    {
        if (dropout > 0 && dropoutSource is null) throw new ArgumentNullException(nameof(dropoutSource), "attention dropout needs a dropout source");
        _dropout = dropout;
        _dropoutSource = dropoutSource;
        ArgumentNullException.ThrowIfNull(rotary);
        if (heads <= 0) throw new ArgumentOutOfRangeException(nameof(heads), heads, "must be positive");
        if (rotary.HeadDim != headDim)
            throw new ArgumentException($"rotary head dim {rotary.HeadDim} differs from headDim {headDim}", nameof(rotary));
        _heads = heads;
        _headDim = headDim;
        _rotary = rotary;
        _rotateValue = rotateValue;
        long inner = (long)heads * headDim;
        norm = nn.LayerNorm(dim);
        norm_context = nn.LayerNorm(contextDim);
        to_q = nn.Linear(dim, inner, hasBias: false);
        to_kv = nn.Linear(contextDim, 2 * inner, hasBias: false);
        to_out = nn.Linear(inner, dim);
        SeededInit.Reset(to_q, generator);
        SeededInit.Reset(to_kv, generator);
        SeededInit.Reset(to_out, generator);
        RegisterComponents();
    }

    /// <summary>Whether values are rotated by key time and the output back by query time.</summary>
    public bool RotateValue => _rotateValue;

    /// <param name="query">[batch, Nq, dim].</param>
    /// <param name="context">[batch, Nk, contextDim].</param>
    /// <param name="queryTimes">[batch, Nq] seconds, float64 (best) or float32.</param>
    /// <param name="contextTimes">[batch, Nk] seconds, same clock as <paramref name="queryTimes"/>.</param>
    /// <param name="keyPaddingMask">[batch, Nk] bool, true where the context token is padding (never attended to).</param>
    /// <returns>[batch, Nq, dim].</returns>
    public override Tensor forward(Tensor query, Tensor context, Tensor queryTimes, Tensor contextTimes, Tensor? keyPaddingMask)
    {
        using var scope = NewDisposeScope();
        long batch = query.shape[0], nq = query.shape[1], nk = context.shape[1];
        var q = to_q.forward(norm.forward(query)).view(batch, nq, _heads, _headDim).transpose(1, 2);
        var kv = to_kv.forward(norm_context.forward(context)).view(batch, nk, 2, _heads, _headDim).permute(2, 0, 3, 1, 4);
        var k = kv[0]; // [batch, heads, Nk, headDim]
        var v = kv[1];
        q = _rotary.Rotate(q, queryTimes);
        k = _rotary.Rotate(k, contextTimes);
        if (_rotateValue) v = _rotary.Rotate(v, contextTimes);
        // SDPA's boolean mask means "may attend"; broadcast over heads and queries.
        Tensor? attendMask = keyPaddingMask is null ? null : keyPaddingMask.logical_not().view(batch, 1, 1, nk);
        var attended = AttentionKernel.Attend(q, k, v, attendMask, _dropout, _dropoutSource, training);
        // Rotating by -t_query undoes the query's frame, leaving each value turned by (t_key - t_query).
        if (_rotateValue) attended = _rotary.Rotate(attended, queryTimes.neg());
        var merged = attended.transpose(1, 2).reshape(batch, nq, (long)_heads * _headDim);
        return to_out.forward(merged).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Writes the sublayer into an ONNX graph (mirrors <see cref="forward"/>) and returns the output's name.
    /// </summary>
    /// <param name="g">The graph being written.</param>
    /// <param name="query">[batch, Nq, dim].</param>
    /// <param name="context">[batch, Nk, contextDim].</param>
    /// <param name="queryAngles">cos and sin of the query times from <see cref="RotaryEmbedding.ExportAngles"/>.</param>
    /// <param name="contextAngles">cos and sin of the context times.</param>
    /// <param name="additiveMask">Optional additive score mask broadcastable to [batch, heads, Nq, Nk] (0 keeps a key,
    /// -1e9 drops it).</param>
    public string ExportOnnx(OnnxGraphBuilder g, string query, string context, (string Cos, string Sin) queryAngles,
        (string Cos, string Sin) contextAngles, string? additiveMask)
    {
        long inner = (long)_heads * _headDim;
        // Reshape's 0 copies the batch dim and -1 takes the token count, so batch, Nq and Nk stay symbolic.
        string Heads(string t) => g.Transpose(g.Reshape(t, 0, -1, _heads, _headDim), 0, 2, 1, 3); // [batch, heads, n, hd]
        var q = Heads(g.Linear(g.LayerNorm(query, norm.weight!, norm.bias!), to_q.weight!, null));
        var kv = g.Split(g.Linear(g.LayerNorm(context, norm_context.weight!, norm_context.bias!), to_kv.weight!, null), -1, inner, inner);
        var k = Heads(kv[0]);
        var v = Heads(kv[1]);
        q = _rotary.ExportRotate(g, q, queryAngles.Cos, queryAngles.Sin);
        k = _rotary.ExportRotate(g, k, contextAngles.Cos, contextAngles.Sin);
        if (_rotateValue) v = _rotary.ExportRotate(g, v, contextAngles.Cos, contextAngles.Sin);
        // SDPA's default scale is 1/sqrt(headDim).
        var scores = g.Mul(g.MatMul(q, g.Transpose(k, 0, 1, 3, 2)), g.Scalar((float)(1 / Math.Sqrt(_headDim))));
        if (additiveMask is not null) scores = g.Add(scores, additiveMask);
        var attended = g.MatMul(g.Softmax(scores, -1), v);
        // cos(-a) = cos(a), sin(-a) = -sin(a): the inverse rotation needs only a negated sin.
        if (_rotateValue) attended = _rotary.ExportRotate(g, attended, queryAngles.Cos, g.Neg(queryAngles.Sin));
        var merged = g.Reshape(g.Transpose(attended, 0, 2, 1, 3), 0, -1, inner);
        return g.Linear(merged, to_out.weight!, to_out.bias);
    }
}
