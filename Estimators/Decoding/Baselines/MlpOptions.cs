namespace MLNeuro.Estimators;

/// <summary>
/// Settings of <see cref="MlpDecoder"/>: the lagged-count features (as the Wiener filter's), the network, the batch
/// and the training loop. Stored in the artifact's manifest.
/// </summary>
/// <example><code>
/// var options = new MlpOptions { HiddenDim = 128, Training = new TrainingOptions { TotalSteps = 1000, LearningRate = 1e-3, Seed = 7 } };
/// </code></example>
public sealed record MlpOptions
{
    /// <summary>Bin width in seconds. Default 0.05.</summary>
    public double BinSeconds { get; init; } = 0.05;

    /// <summary>Bins of history per unit, the current bin included. Default 10.</summary>
    public int Lags { get; init; } = 10;

    /// <summary>
    /// How many of the <see cref="Lags"/> bins lie after the bin holding the prediction time: 0 (default) is a causal
    /// decoder reading the past; Lags / 2 centres the window on the prediction time, as POYO's windows see spikes on both
    /// sides of an output time. Bins past the recording's end count as zero.
    /// </summary>
    public int LeadBins { get; init; }

    /// <summary>Width of the hidden layers. Default 256.</summary>
    public int HiddenDim { get; init; } = 256;

    /// <summary>Hidden layers: the per-session input layer counts as the first, the rest are the shared trunk. Default 2.</summary>
    public int HiddenLayers { get; init; } = 2;

    /// <summary>Dropout probability after every hidden activation (drawn from the training generator). Default 0.2.</summary>
    public double Dropout { get; init; } = 0.2;

    /// <summary>Training samples per step, drawn uniformly over all sessions' training samples. Default 256.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>
    /// Validation MSE is measured every this many steps and at the end; the weights with the lowest one are kept (the
    /// number of steps is chosen on validation). Without validation samples the final weights are kept. Default 100.
    /// </summary>
    public int ValidationEverySteps { get; init; } = 100;

    /// <summary>
    /// The split options that made the training splits, recorded in the artifact so that an evaluation scores the same
    /// held-out part (<c>Train</c> itself takes the splits). Default: the first 80% trains.
    /// </summary>
    public DecodingSplitOptions Split { get; init; } = new();

    /// <summary>Optimiser, schedule, steps and seed (also the seed of the initial weights and of the batches).
    /// Default 2000 steps, 100 warmup, learning rate 1e-3, weight decay 0.01, seed 0.</summary>
    public TrainingOptions Training { get; init; } = new() { TotalSteps = 2000, WarmupSteps = 100, LearningRate = 1e-3, WeightDecay = 0.01 };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(BinSeconds > 0) || !double.IsFinite(BinSeconds)) throw new ArgumentOutOfRangeException(nameof(BinSeconds), BinSeconds, "must be a positive number of seconds");
        if (Lags < 1) throw new ArgumentOutOfRangeException(nameof(Lags), Lags, "must be at least 1");
        if (LeadBins < 0 || LeadBins >= Lags) throw new ArgumentOutOfRangeException(nameof(LeadBins), LeadBins, $"must be in [0, Lags = {Lags})");
        if (HiddenDim < 1) throw new ArgumentOutOfRangeException(nameof(HiddenDim), HiddenDim, "must be at least 1");
        if (HiddenLayers < 1) throw new ArgumentOutOfRangeException(nameof(HiddenLayers), HiddenLayers, "must be at least 1 (the per-session input layer)");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "must be in [0, 1)");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "must be at least 1");
        if (ValidationEverySteps < 1) throw new ArgumentOutOfRangeException(nameof(ValidationEverySteps), ValidationEverySteps, "must be at least 1");
        ArgumentNullException.ThrowIfNull(Training);
        Training.Validate();
    }
}
