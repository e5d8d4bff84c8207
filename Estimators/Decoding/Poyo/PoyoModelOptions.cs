namespace MLNeuro.Estimators;

/// <summary>
/// POYO's architecture (docs/design.md, 'POYO'): spike tokens (unit + token-type embedding, time only through rotary
/// attention), <see cref="LatentCount"/> learned latents repeated every <see cref="LatentStepSeconds"/>, one encoder
/// cross-attention, <see cref="Depth"/> rotary self-attention blocks over the latents, decoder queries (the session's
/// embedding at each output time) cross-attending to the latents, and a linear readout.
/// </summary>
/// <example><code>
/// var paper = PoyoModelOptions.Poyo1_3M;           // dim 64, depth 6, 16 latents
/// var custom = PoyoModelOptions.Tiny with { Depth = 2 };
/// </code></example>
public sealed record PoyoModelOptions
{
    /// <summary>Token, latent and query width. Default 64.</summary>
    public int Dim { get; init; } = 64;

    /// <summary>Self-attention blocks over the latents. Default 6.</summary>
    public int Depth { get; init; } = 6;

    /// <summary>Distinct learned latents, repeated at every latent step. Default 16.</summary>
    public int LatentCount { get; init; } = 16;

    /// <summary>Spacing of the latent time steps, seconds (latents sit at the step centres). Default 0.125.</summary>
    public double LatentStepSeconds { get; init; } = 0.125;

    /// <summary>Dimensions per attention head (all attentions). Default 64 (torch_brain's).</summary>
    public int HeadDim { get; init; } = 64;

    /// <summary>Heads of the encoder and decoder cross-attention. Default 1 (the 1.3M configuration has 2, as the reference's).</summary>
    public int CrossHeads { get; init; } = 1;

    /// <summary>Heads of the latent self-attention. Default 8.</summary>
    public int SelfHeads { get; init; } = 8;

    /// <summary>GEGLU hidden width as a multiple of <see cref="Dim"/>. Default 4.</summary>
    public int FfnMult { get; init; } = 4;

    /// <summary>Shortest rotary period, seconds. Default 1e-4.</summary>
    public double MinPeriodSeconds { get; init; } = 1e-4;

    /// <summary>Longest rotary period, seconds. Default 2.</summary>
    public double MaxPeriodSeconds { get; init; } = 2.0;

    /// <summary>Standard deviation of the initial unit, session, token-type and latent embeddings. Default 0.02.</summary>
    public double EmbeddingInitScale { get; init; } = 0.02;

    /// <summary>
    /// Mixture-of-Depths: the share of latent tokens every other self-attention block (the 2nd, 4th, ...) processes,
    /// chosen by a learned router; 0 keeps every block dense. The paper's default capacity is 0.125. Default 0.
    /// </summary>
    public double RoutingCapacity { get; init; }

    /// <summary>
    /// Training-time dropout on the attention weights of every attention (torch_brain's <c>atn_dropout</c>; 0.2 in the
    /// reference's poyo_1.3M.yaml). Off in eval and absent from the ONNX graph. Default 0.
    /// </summary>
    public double AttentionDropout { get; init; }

    /// <summary>Training-time dropout inside every GEGLU feed-forward (torch_brain's <c>ffn_dropout</c>; reference 0.2). Default 0.</summary>
    public double FeedForwardDropout { get; init; }

    /// <summary>
    /// Training-time dropout on each self-attention and feed-forward output of the latent blocks before the residual sum
    /// (torch_brain's <c>lin_dropout</c>; reference 0.4). Default 0.
    /// </summary>
    public double ResidualDropout { get; init; }

    /// <summary>For tests and quick runs: dim 32, depth 1, 8 latents, 2 heads of 16, no dropout.</summary>
    public static PoyoModelOptions Tiny { get; } = new() { Dim = 32, Depth = 1, LatentCount = 8, HeadDim = 16, SelfHeads = 2 };

    /// <summary>
    /// The paper's POYO-1.3M as torch_brain configures it (poyo_1.3M.yaml): dim 64, depth 6, 16 latents, 2
    /// cross-attention heads, dropout 0.2 on attention weights and in the FFN, 0.4 on the latent blocks' residual branches.
    /// </summary>
    public static PoyoModelOptions Poyo1_3M { get; } = new()
    {
        CrossHeads = 2, AttentionDropout = 0.2, FeedForwardDropout = 0.2, ResidualDropout = 0.4,
    };

    /// <summary>The paper's POYO-MP 11.8M: dim 128, depth 24, 32 latents.</summary>
    public static PoyoModelOptions Poyo11_8M { get; } = new() { Dim = 128, Depth = 24, LatentCount = 32 };

    /// <summary>A named configuration: tiny, 1.3M or 11.8M; the error lists the names.</summary>
    public static PoyoModelOptions Named(string name) => name switch
    {
        "tiny" => Tiny,
        "1.3M" => Poyo1_3M,
        "11.8M" => Poyo11_8M,
        _ => throw new ArgumentException($"unknown POYO configuration '{name}'; configurations: tiny, 1.3M, 11.8M", nameof(name)),
    };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        Positive(Dim, nameof(Dim));
        if (Depth < 0) throw new ArgumentOutOfRangeException(nameof(Depth), Depth, "must be non-negative");
        Positive(LatentCount, nameof(LatentCount));
        Positive(CrossHeads, nameof(CrossHeads));
        Positive(SelfHeads, nameof(SelfHeads));
        Positive(FfnMult, nameof(FfnMult));
        if (HeadDim <= 0 || HeadDim % 4 != 0)
            throw new ArgumentOutOfRangeException(nameof(HeadDim), HeadDim, "must be a positive multiple of 4 (half the head dims rotate, in pairs)");
        if (!(LatentStepSeconds > 0)) throw new ArgumentOutOfRangeException(nameof(LatentStepSeconds), LatentStepSeconds, "must be positive");
        if (!(MinPeriodSeconds > 0 && MaxPeriodSeconds >= MinPeriodSeconds))
            throw new ArgumentOutOfRangeException(nameof(MaxPeriodSeconds), MaxPeriodSeconds, $"periods must satisfy 0 < MinPeriodSeconds ({MinPeriodSeconds}) <= MaxPeriodSeconds");
        if (!(RoutingCapacity >= 0 && RoutingCapacity <= 1))
            throw new ArgumentOutOfRangeException(nameof(RoutingCapacity), RoutingCapacity, "must be in [0, 1] (0 = dense)");
        Probability(AttentionDropout, nameof(AttentionDropout));
        Probability(FeedForwardDropout, nameof(FeedForwardDropout));
        Probability(ResidualDropout, nameof(ResidualDropout));
        if (!(EmbeddingInitScale > 0)) throw new ArgumentOutOfRangeException(nameof(EmbeddingInitScale), EmbeddingInitScale, "must be positive");
    }

    private static void Probability(double value, string name)
    {
        if (!(value >= 0 && value < 1)) throw new ArgumentOutOfRangeException(name, value, "must be in [0, 1)");
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, "must be positive");
    }
}
