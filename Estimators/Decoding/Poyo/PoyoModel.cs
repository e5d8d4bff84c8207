using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// The POYO network (docs/design.md, 'POYO'; torch_brain's <c>POYO</c>): tokens = unit embedding + token-type embedding
/// (+ a linear map of the value for calcium value tokens); latents = <c>LatentCount</c> learned vectors repeated every
/// latent step; encoder cross-attention (latents ← tokens, values rotated), <c>Depth</c> rotary self-attention blocks
/// (values rotated), decoder cross-attention (session embedding at each output time ← latents, values not rotated),
/// linear readout. Time enters only through the rotations, so a window's absolute position never matters.
/// </summary>
internal sealed class PoyoModel : nn.Module<PoyoBatch, Tensor>
{
    /// <summary>Token types the type embedding knows (spike, unit start, unit end, value).</summary>
    public const int TokenTypeCount = 4;

    private readonly PoyoModelOptions _options;
    private readonly RotaryEmbedding _rotary;
    // Plain arrays, not Tensor fields: RegisterComponents would make tensors buffers of the state dict.
    private readonly long[] _latentIndex;
    private readonly double[] _latentTimes;
    private readonly DropoutSource _dropout = new();

    // Named like torch_brain's state-dict keys where there is one.
    private readonly ExtendableEmbedding unit_emb;
    private readonly ExtendableEmbedding session_emb;
    private readonly ExtendableEmbedding token_type_emb;
    private readonly ExtendableEmbedding latent_emb;
    private readonly ExtendableEmbedding mask_emb;
    private readonly Linear value_proj;
    private readonly CrossAttentionBlock enc;
    private readonly ModuleList<nn.Module<Tensor, Tensor?, Tensor?, Tensor>> proc;
    private readonly CrossAttentionBlock dec;
    private readonly Linear readout;

    /// <param name="options">Architecture.</param>
    /// <param name="units">Rows of the unit vocabulary.</param>
    /// <param name="sessions">Rows of the session vocabulary.</param>
    /// <param name="channels">Behaviour channels read out.</param>
    /// <param name="windowSeconds">Window length: fixes the latent times.</param>
    /// <param name="generator">Draws every initial weight.</param>
    public PoyoModel(PoyoModelOptions options, long units, long sessions, int channels, double windowSeconds, Generator generator)
        : base(nameof(PoyoModel))
    {
        options.Validate();
        _options = options;
        int d = options.Dim;
        _rotary = new RotaryEmbedding(options.HeadDim, options.HeadDim / 2, options.MinPeriodSeconds, options.MaxPeriodSeconds);
        unit_emb = new ExtendableEmbedding(units, d, options.EmbeddingInitScale, generator);
        session_emb = new ExtendableEmbedding(sessions, d, options.EmbeddingInitScale, generator);
        token_type_emb = new ExtendableEmbedding(TokenTypeCount, d, options.EmbeddingInitScale, generator);
        latent_emb = new ExtendableEmbedding(options.LatentCount, d, options.EmbeddingInitScale, generator);
        mask_emb = new ExtendableEmbedding(1, d, options.EmbeddingInitScale, generator);
        value_proj = nn.Linear(1, d, hasBias: false);
        SeededInit.Reset(value_proj, generator);
        var dropout = new BlockDropout(options.AttentionDropout, options.FeedForwardDropout, options.ResidualDropout, _dropout);
        enc = new CrossAttentionBlock(d, d, options.CrossHeads, options.HeadDim, options.FfnMult, _rotary, rotateValue: true, generator, dropout);
        proc = new ModuleList<nn.Module<Tensor, Tensor?, Tensor?, Tensor>>();
        for (int i = 0; i < options.Depth; i++)
        {
            var block = new TransformerBlock(d, options.SelfHeads, options.HeadDim, options.FfnMult, _rotary, generator, rotateValue: true, dropout: dropout);
            // Mixture-of-Depths routes every other block, starting with the second, so the first always sees every latent.
            proc.Add(options.RoutingCapacity > 0 && i % 2 == 1 ? new RoutedTransformerBlock(block, d, options.RoutingCapacity, generator) : block);
        }
        dec = new CrossAttentionBlock(d, d, options.CrossHeads, options.HeadDim, options.FfnMult, _rotary, rotateValue: false, generator, dropout);
        readout = nn.Linear(d, channels);
        SeededInit.Reset(readout, generator);
        (_latentIndex, _latentTimes) = LatentGrid(options, windowSeconds);
        RegisterComponents();
    }

    /// <summary>
    /// The generator training-time dropout draws its masks from (the training step's); set it before a training
    /// forward when any dropout rate is positive. Eval-mode forwards never read it.
    /// </summary>
    public Generator? DropoutGenerator
    {
        get => _dropout.Generator;
        set => _dropout.Generator = value;
    }

    public ExtendableEmbedding UnitEmbedding => unit_emb;

    public ExtendableEmbedding SessionEmbedding => session_emb;

    /// <summary>Number of latent tokens per window (LatentCount x steps).</summary>
    public long LatentTokens => _latentIndex.Length;

    /// <summary>Latent index and time of every latent token: LatentCount latents at each step centre (k + 1/2)·step.</summary>
    internal static (long[] Index, double[] Times) LatentGrid(PoyoModelOptions options, double windowSeconds)
    {
        int steps = Math.Max(1, (int)Math.Round(windowSeconds / options.LatentStepSeconds));
        var index = new long[steps * options.LatentCount];
        var times = new double[index.Length];
        for (int s = 0, k = 0; s < steps; s++)
            for (int l = 0; l < options.LatentCount; l++, k++)
            {
                index[k] = l;
                times[k] = (s + 0.5) * windowSeconds / steps;
            }
        return (index, times);
    }

    /// <summary>Predictions [B, Q, channels] in normalised units.</summary>
    public override Tensor forward(PoyoBatch batch)
    {
        using var scope = NewDisposeScope();
        return Decode(batch, EncodeLatents(batch, null)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The latents after the encoder cross-attention and the self-attention blocks, [B, latent tokens, dim]. Where
    /// <paramref name="masked"/> ([B, latent tokens] bool) is true, the latent leaving the encoder is replaced by the
    /// learned mask embedding (or by zeros, with <paramref name="zeroMask"/>) before the self-attention blocks (POYO-SSL's
    /// masked-latent objective).
    /// </summary>
    public Tensor EncodeLatents(PoyoBatch batch, Tensor? masked, bool zeroMask = false)
    {
        using var scope = NewDisposeScope();
        long b = batch.UnitIndex.shape[0];
        var tokens = unit_emb.forward(batch.UnitIndex) + token_type_emb.forward(batch.TokenType)
                     + value_proj.forward(batch.TokenValue.unsqueeze(-1));
        var latentTimes = LatentTimes(b);
        var latents = latent_emb.forward(tensor(_latentIndex)).unsqueeze(0).expand(b, -1, -1);
        latents = enc.forward(latents, tokens, latentTimes, batch.TokenTimes, batch.TokenPadding);
        if (masked is not null)
            latents = where(masked.unsqueeze(-1), zeroMask ? zeros_like(latents) : mask_emb.Weight[0].expand_as(latents), latents);
        foreach (var block in proc) latents = block.forward(latents, latentTimes, null);
        return latents.MoveToOuterDisposeScope();
    }

    /// <summary>Decoder queries (session embedding at each output time) read the latents; linear readout.</summary>
    public Tensor Decode(PoyoBatch batch, Tensor latents)
    {
        using var scope = NewDisposeScope();
        long q = batch.QueryTimes.shape[1];
        var queries = session_emb.forward(batch.SessionIndex).unsqueeze(1).expand(-1, q, -1);
        var decoded = dec.forward(queries, latents, batch.QueryTimes, LatentTimes(latents.shape[0]), null);
        return readout.forward(decoded).MoveToOuterDisposeScope();
    }

    private Tensor LatentTimes(long batch) => tensor(_latentTimes, ScalarType.Float64).unsqueeze(0).expand(batch, -1);

    /// <summary>
    /// Writes the network for one window into an ONNX graph (batch 1, token and query counts symbolic, as ML.NET's
    /// variable-length vector columns give them): inputs <c>unit_index</c> [1, N] int64 (vocabulary rows),
    /// <c>token_type</c> [1, N] int64, <c>token_value</c> [1, N] float, <c>token_times</c> [1, N] double (seconds from the
    /// window start), <c>session_index</c> [1, 1] int64, <c>query_times</c> [1, Q] double; output <c>behavior</c>
    /// [1, Q·channels] float in the channels' original units (the normalisation is folded into the graph). One window per
    /// row needs no padding mask. In ML.NET, <c>session_index</c> is a fixed-size column (<c>[VectorType(1)]</c>); the others
    /// are variable-length vectors. Routed (Mixture-of-Depths) blocks export with top-k routing over the window's latents.
    /// </summary>
    public byte[] ExportOnnx(double[] mean, double[] std)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var g = new OnnxGraphBuilder("poyo");
        var unitIndex = g.Input("unit_index", OnnxElementType.Int64, 1, "N");
        var tokenType = g.Input("token_type", OnnxElementType.Int64, 1, "N");
        var tokenValue = g.Input("token_value", OnnxElementType.Float, 1, "N");
        var tokenTimes = g.Input("token_times", OnnxElementType.Double, 1, "N");
        var sessionIndex = g.Input("session_index", OnnxElementType.Int64, 1, 1);
        var queryTimes = g.Input("query_times", OnnxElementType.Double, 1, "Q");

        var tokens = g.Add(g.Add(g.Gather(g.Initializer(unit_emb.Weight.detach()), unitIndex), g.Gather(g.Initializer(token_type_emb.Weight.detach()), tokenType)),
            g.Linear(g.Unsqueeze(tokenValue, -1), value_proj.weight!, null));                           // [1, N, d]
        var latents = g.Initializer(latent_emb.forward(tensor(_latentIndex)).unsqueeze(0), "latents");   // [1, M, d]
        var (latentCos, latentSin) = _rotary.Table(_latentTimes);
        var pairs = new long[] { _latentTimes.Length, _rotary.RotaryDim / 2 };
        var latentAngles = (g.Initializer(latentCos, pairs, "latent_cos"), g.Initializer(latentSin, pairs, "latent_sin"));
        var tokenAngles = _rotary.ExportAngles(g, tokenTimes);
        latents = enc.ExportOnnx(g, latents, tokens, latentAngles, tokenAngles, null);
        foreach (var block in proc)
            latents = block is RoutedTransformerBlock routed
                ? routed.ExportOnnx(g, latents, _latentTimes.Length, _options.Dim, latentAngles.Item1, latentAngles.Item2)
                : ((TransformerBlock)block).ExportOnnx(g, latents, latentAngles.Item1, latentAngles.Item2, null);

        // Queries: the session's embedding at every output time; [1, Q, 1] zeros broadcast it to [1, Q, d].
        var session = g.Gather(g.Initializer(session_emb.Weight.detach()), sessionIndex);                 // [1, 1, d]
        var zeros = g.Mul(g.Unsqueeze(g.Cast(queryTimes, OnnxElementType.Float), -1), g.Scalar(0f));
        var queries = g.Add(zeros, session);
        var decoded = dec.ExportOnnx(g, queries, latents, _rotary.ExportAngles(g, queryTimes), latentAngles, null);
        var normalised = g.Linear(decoded, readout.weight!, readout.bias);                               // [1, Q, C]
        int c = mean.Length;
        var behavior = g.Add(g.Mul(normalised, g.Initializer(std.Select(v => (float)v).ToArray(), new long[] { c }, "std")),
            g.Initializer(mean.Select(v => (float)v).ToArray(), new long[] { c }, "mean"));
        return g.Output(g.Reshape(behavior, 1, -1), "behavior", OnnxElementType.Float, 1, "QxC").ToBytes();
    }

    /// <summary>Sum of the routed blocks' predictor losses after a training forward; null when no block is routed.</summary>
    public Tensor? RoutingPredictorLoss()
    {
        Tensor? total = null;
        foreach (var block in proc.OfType<RoutedTransformerBlock>())
            if (block.PredictorLoss is { } loss) total = total is null ? loss : total + loss;
        return total;
    }

    /// <summary>Routes by the causal predictors instead of top-k in every routed block (streaming; batch 1).</summary>
    public void UseCausalRouting(bool causal)
    {
        foreach (var block in proc.OfType<RoutedTransformerBlock>()) block.UseCausalRouting = causal;
    }

    /// <summary>
    /// Freezes everything except the unit and session embeddings (unit identification), or unfreezes all.
    /// </summary>
    public void FreezeTrunk(bool frozen)
    {
        foreach (var (name, p) in named_parameters())
            p.requires_grad = !frozen || name.StartsWith("unit_emb.", StringComparison.Ordinal) || name.StartsWith("session_emb.", StringComparison.Ordinal);
    }
}
