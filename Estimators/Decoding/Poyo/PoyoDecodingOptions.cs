using MLNeuro.Transforms;

namespace MLNeuro.Estimators;

/// <summary>
/// What a POYO decoder is trained to do and how windows are cut: the architecture, the behaviour channels, the split,
/// the window length and evaluation stride, the batch and the token cap. Stored in the model artifact.
/// </summary>
/// <example><code>
/// var options = new PoyoDecodingOptions { Model = PoyoModelOptions.Tiny, Channels = ["vx", "vy"], BatchSize = 16 };
/// </code></example>
public sealed record PoyoDecodingOptions
{
    /// <summary>Architecture. Default the paper's 1.3M configuration.</summary>
    public PoyoModelOptions Model { get; init; } = PoyoModelOptions.Poyo1_3M;

    /// <summary>Behaviour channels to decode (every session must have them). Default vx, vy.</summary>
    public IReadOnlyList<string> Channels { get; init; } = ["vx", "vy"];

    /// <summary>How sessions are split into training, validation and evaluation time. Default: first 80% trains.</summary>
    public DecodingSplitOptions Split { get; init; } = new();

    /// <summary>Window length, seconds: training samples windows of this length inside training intervals. Default 1.</summary>
    public double WindowSeconds { get; init; } = 1.0;

    /// <summary>Stride of the evaluation windows, seconds; overlapping predictions are averaged. Default 0.5.</summary>
    public double EvaluationStrideSeconds { get; init; } = 0.5;

    /// <summary>
    /// Windows per training step. Default 64: POYO starts on a plateau (it predicts the mean) until it has seen some
    /// tens of thousands of windows, and batches of 64 leave it reliably in a few hundred steps, where batches of 16
    /// sometimes stayed on it for thousands (README, behaviour decoding).
    /// </summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>
    /// Token cap per window (start/end tokens always kept; spikes beyond it are thinned evenly per unit, see
    /// <see cref="SpikeTokenizer"/>). Default 8192.
    /// </summary>
    public int MaxTokensPerWindow { get; init; } = 8192;

    /// <summary>
    /// Uniform unit dropout during training: each window keeps a uniformly drawn fraction in
    /// [<see cref="UnitDropoutMinKeep"/>, 1] of its units. Below 1 it replaces <see cref="UnitDropout"/>; 1 leaves unit
    /// dropout to <see cref="UnitDropout"/>. Default 1.
    /// </summary>
    public double UnitDropoutMinKeep { get; init; } = 1.0;

    /// <summary>
    /// Unit dropout as the reference trains: each training window keeps a triangular-distributed number of its units
    /// (min 30, mode 100, max 300, capped by the population; <see cref="PoyoUnitDropout"/>), which makes the decoder robust
    /// to lost units. Null turns it off. Default <see cref="PoyoUnitDropout.Reference"/> (also for artifacts written
    /// before this option, when they are trained further).
    /// </summary>
    public PoyoUnitDropout? UnitDropout { get; init; } = PoyoUnitDropout.Reference;

    /// <summary>
    /// Loss weight of the behaviour samples inside intervals of each kind (the reference's per-interval weights, e.g.
    /// reach 5, hold 0.1): a sample's weight is the product of the weights of the kinds whose intervals contain it, 1
    /// for a sample in none. Null weights every sample 1. Default null.
    /// </summary>
    public IReadOnlyDictionary<string, double>? IntervalLossWeights { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Model, nameof(Model));
        Model.Validate();
        Split.Validate();
        if (Channels is null || Channels.Count == 0) throw new ArgumentOutOfRangeException(nameof(Channels), "name at least one behaviour channel");
        if (Channels.Distinct(StringComparer.Ordinal).Count() != Channels.Count)
            throw new ArgumentOutOfRangeException(nameof(Channels), string.Join(",", Channels), "a channel is named twice");
        if (!(WindowSeconds > 0 && double.IsFinite(WindowSeconds))) throw new ArgumentOutOfRangeException(nameof(WindowSeconds), WindowSeconds, "must be positive");
        if (!(EvaluationStrideSeconds > 0 && EvaluationStrideSeconds <= WindowSeconds))
            throw new ArgumentOutOfRangeException(nameof(EvaluationStrideSeconds), EvaluationStrideSeconds, $"must be in (0, WindowSeconds = {WindowSeconds}]");
        if (BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "must be positive");
        if (MaxTokensPerWindow <= 0) throw new ArgumentOutOfRangeException(nameof(MaxTokensPerWindow), MaxTokensPerWindow, "must be positive");
        if (!(UnitDropoutMinKeep > 0 && UnitDropoutMinKeep <= 1))
            throw new ArgumentOutOfRangeException(nameof(UnitDropoutMinKeep), UnitDropoutMinKeep, "must be in (0, 1]");
        UnitDropout?.Validate();
        if (IntervalLossWeights is not null)
            foreach (var (kind, weight) in IntervalLossWeights)
                if (!(weight >= 0 && double.IsFinite(weight)))
                    throw new ArgumentOutOfRangeException(nameof(IntervalLossWeights), weight, $"the weight of interval kind '{kind}' must be finite and non-negative");
    }
}
