using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// Mixture-of-Depths routing around a <see cref="TransformerBlock"/> (Raposo et al. 2024; docs/design.md, 'Mixture-of-Depths'): a
/// linear router scores every token, only the top k = ceil(capacity · seq) tokens of each sequence go through the
/// block (attending only to each other), and their update is scaled by sigmoid(router score) so that the router gets
/// gradients; every other token takes the residual path unchanged. Compute in the block falls by about 1/capacity.
/// </summary>
/// <remarks>
/// <para>Top-k over a sequence is not causal: whether a token is routed depends on later tokens. For streaming use, a
/// small predictor (a linear map of the stop-gradient input, as in the paper's auxiliary-predictor variant) learns by
/// binary cross-entropy which tokens the top-k picks; with <see cref="UseCausalRouting"/> the block routes a token when
/// the predictor says so, a decision that depends on that token alone. Its loss after each training forward is in
/// <see cref="PredictorLoss"/>; the model adds it to the task loss (the stop-gradient keeps it from shaping the trunk).</para>
/// <para>The sigmoid keeps the scale in (0, 1) rather than the paper's raw router output: an unbounded, possibly negative
/// scale made early training unstable in our tests on POYO's latents, and sigmoid is the common choice in public
/// implementations.</para>
/// </remarks>
internal sealed class RoutedTransformerBlock : nn.Module<Tensor, Tensor?, Tensor?, Tensor>
{
    private readonly double _capacity;

    private readonly TransformerBlock block;
    private readonly Linear router;
    private readonly Linear predictor;

    public RoutedTransformerBlock(TransformerBlock inner, int dim, double capacity, Generator generator) : base(nameof(RoutedTransformerBlock))
    {
        if (!(capacity > 0 && capacity <= 1)) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "must be in (0, 1]");
        _capacity = capacity;
        block = inner;
        router = nn.Linear(dim, 1);
        predictor = nn.Linear(dim, 1);
        SeededInit.Reset(router, generator);
        SeededInit.Reset(predictor, generator);
        RegisterComponents();
    }

    /// <summary>Route by the causal predictor instead of top-k (streaming inference).</summary>
    public bool UseCausalRouting { get; set; }

    /// <summary>The predictor's BCE loss of the last training forward (null in eval mode); owned by the block, valid until the next forward.</summary>
    public Tensor? PredictorLoss { get; private set; }

    /// <summary>Tokens routed per sequence of <paramref name="seq"/> tokens.</summary>
    public int Capacity(long seq) => (int)Math.Max(1, Math.Ceiling(_capacity * seq));

    /// <param name="x">[batch, seq, dim].</param>
    /// <param name="positions">[batch, seq] rotary positions (gathered with the tokens).</param>
    /// <param name="keyPaddingMask">Must be null: routed blocks serve unpadded latent sequences.</param>
    public override Tensor forward(Tensor x, Tensor? positions, Tensor? keyPaddingMask)
    {
        if (keyPaddingMask is not null) throw new ArgumentException("routed blocks take no padding mask", nameof(keyPaddingMask));
        long batch = x.shape[0], seq = x.shape[1], dim = x.shape[2];
        var scores = router.forward(x).squeeze(-1); // [batch, seq]
        var predicted = predictor.forward(x.detach()).squeeze(-1);
        Tensor selected;
        using (var scope = NewDisposeScope())
        {
            int k = Capacity(seq);
            var topk = scores.topk(k, dim: 1).indexes;
            // The loss outlives the forward's dispose scopes (the caller reads it after the model returns), so the block
            // owns it: detached from every scope, released when the next forward replaces it.
            PredictorLoss?.Dispose();
            PredictorLoss = training
                ? nn.functional.binary_cross_entropy_with_logits(predicted, zeros_like(scores).scatter(1, topk, ones_like(scores))).DetachFromDisposeScope()
                : null;
            selected = UseCausalRouting && !training ? CausalSelection(predicted) : topk.sort(1).Values;
            selected = selected.MoveToOuterDisposeScope();
        }
        using var outer = NewDisposeScope();
        var index = selected.unsqueeze(-1).expand(-1, -1, dim);
        var routed = x.gather(1, index);
        var routedPositions = positions?.gather(1, selected);
        var delta = block.forward(routed, routedPositions, null) - routed;
        var scale = scores.gather(1, selected).sigmoid().unsqueeze(-1);
        selected.Dispose();
        return x.scatter_add(1, index, delta * scale).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Writes the routed block for one sequence of a fixed length into an ONNX graph (mirrors <see cref="forward"/> in
    /// eval mode with top-k routing): TopK picks the tokens, Gather takes them and their rotary rows, the inner block
    /// runs on them, and ScatterElements writes x + sigmoid(score) · update back in place. Each token is picked at most
    /// once, so writing the sum equals forward's scatter_add. The order of the picked tokens differs from forward's
    /// (sorted there), which attention does not see: each token's rotary row travels with it.
    /// </summary>
    /// <param name="g">The graph being written.</param>
    /// <param name="x">[1, seq, dim].</param>
    /// <param name="seq">The sequence length (known when exporting: POYO's latent count per window).</param>
    /// <param name="dim">Token width.</param>
    /// <param name="rotaryCos">[seq, rotaryDim/2] cos table of the tokens' positions.</param>
    /// <param name="rotarySin">[seq, rotaryDim/2] sin table.</param>
    public string ExportOnnx(OnnxGraphBuilder g, string x, long seq, long dim, string rotaryCos, string rotarySin)
    {
        int k = Capacity(seq);
        var scores = g.Squeeze(g.Linear(x, router.weight!, router.bias), -1);                              // [1, seq]
        var topk = g.Node("TopK", new[] { scores, g.Int64s(k) }, 2, ("axis", 1L), ("largest", 1L), ("sorted", 1L));
        var picked = g.Squeeze(topk[1], 0);                                                                 // [k]
        var routed = g.Gather(x, picked, axis: 1);                                                          // [1, k, dim]
        var updated = block.ExportOnnx(g, routed, g.Gather(rotaryCos, picked), g.Gather(rotarySin, picked), null);
        var scale = g.Unsqueeze(g.Sigmoid(topk[0]), -1);                                                    // [1, k, 1]
        var written = g.Add(routed, g.Mul(g.Sub(updated, routed), scale));
        var index = g.Expand(g.Unsqueeze(topk[1], -1), g.Int64s(1, k, dim));
        return g.Node("ScatterElements", new[] { x, index, written }, 1, ("axis", 1L))[0];
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) PredictorLoss?.Dispose();
        base.Dispose(disposing);
    }

    /// Tokens whose predictor logit is positive (at least the best one), in order. Sequences would pick different
    /// counts, so causal routing runs one sequence at a time, as streaming does.
    private static Tensor CausalSelection(Tensor predicted)
    {
        if (predicted.shape[0] != 1) throw new InvalidOperationException("causal routing runs one sequence at a time (batch 1)");
        var picked = (predicted[0] > 0).nonzero().squeeze(-1);
        if (picked.shape[0] == 0) picked = predicted[0].argmax().unsqueeze(0);
        return picked.unsqueeze(0);
    }
}
