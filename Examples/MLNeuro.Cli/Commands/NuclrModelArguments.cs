using System.CommandLine;
using MLNeuro.Estimators;
using MLNeuro.Loaders;

namespace MLNeuro.Cli.Commands;

/// <summary>
/// The NuCLR recipe, model and sampling options shared by <c>pretrain nuclr</c> and <c>evaluate nuclr</c>: a recipe
/// (<see cref="NuclrRecipe"/>: cpu or reference) used as it is, overrides of its geometry and batch, and a list of
/// reference behaviours to switch back (<c>--legacy</c>, for ablations), defined once so both commands build the same model.
/// </summary>
internal sealed class NuclrModelArguments
{
    /// <summary>
    /// Without <c>--max-units</c>, sessions larger than this are trained (and, as reference mode does, embedded) in
    /// random subsets of this many units: attention cost grows with the square of the population, and a Neuropixels
    /// session of ~900 units ran pretraining at 0.2 steps/s on two cores.
    /// </summary>
    public const int DefaultUnitCap = 256;

    private readonly Option<string> _recipe = new("--recipe")
    {
        Description = "cpu: every reference behaviour at CPU size (d=32, 0.8 s windows, batch 8); "
            + "reference: NuCLR's recipe (d=256, 10 s windows, batch 128, 300 epochs; slow on CPU). Both: AdamW 5e-4, one epoch of warmup, cosine.",
        DefaultValueFactory = _ => "cpu",
    };
    private readonly Option<string?> _config = new("--config")
    {
        Description = "Override the recipe's geometry: tiny (d=32, 4 patches x 10 bins of 20 ms, views within 10 s) "
            + "or paper (d=256, 10 patches x 50 bins of 20 ms, views within 30 s).",
    };
    private readonly Option<int?> _dim = new("--dim") { Description = "Override the width d (the embedding size; heads of min(64, d/2) dims)." };
    private readonly Option<int?> _patches = new("--patches") { Description = "Override the patches per window (or intervals per view with --intervals)." };
    private readonly Option<double?> _patchSeconds = new("--patch-seconds") { Description = "Override the patch length in seconds (whole-domain windows)." };
    private readonly Option<double?> _binMs = new("--bin-ms") { Description = "Override the bin width in milliseconds." };
    private readonly Option<string?> _intervals = new("--intervals")
    {
        Description = "Build views from consecutive intervals of this kind (e.g. trial), one patch per interval, for data recorded only in trials.",
    };
    private readonly Option<int?> _maxUnits = new("--max-units")
    {
        Description = "Train on at most this many units of a population per sample (a random subset shared by its views); bounds the cost on large recordings. Embedding then splits populations into groups of at most this size (unless --legacy population).",
    };
    private readonly Option<string> _objective = new("--objective") { Description = "Self-supervised objective.", DefaultValueFactory = _ => "dcl" };
    private readonly Option<int> _views = new Option<int>("--views") { Description = "Views per sample (more suit vicreg/barlow).", DefaultValueFactory = _ => 2 }.AtLeast(2);
    private readonly Option<int?> _batch = new("--batch") { Description = "Override the recipe's samples (population windows) per step (cpu 8, reference 128)." };
    private readonly Option<string?> _legacy = new("--legacy")
    {
        Description = "Comma-separated reference behaviours to switch back to MLNeuro's earlier ones (ablations): "
            + "population, active, dropout, input, attention, negatives, projector, sessions, schedule, or all.",
    };

    public NuclrModelArguments()
    {
        _recipe.AcceptOnlyFromAmong("cpu", "reference");
        _config.AcceptOnlyFromAmong("tiny", "paper");
        _batch.AtLeastWhenSet(1);
        _objective.AcceptOnlyFromAmong("dcl", "vicreg", "barlow");
        _dim.AtLeastWhenSet(2);
        _maxUnits.AtLeastWhenSet(2);
        _patches.AtLeastWhenSet(1);
        _patchSeconds.AtLeastWhenSet(0.0, exclusive: true);
        _binMs.AtLeastWhenSet(0.0, exclusive: true);
    }

    /// <summary>The recipe name (cpu or reference).</summary>
    public Option<string> Recipe => _recipe;

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _recipe, _config, _dim, _patches, _patchSeconds, _binMs, _intervals, _maxUnits, _objective, _views, _batch, _legacy })
            command.Options.Add(option);
    }

    /// <summary>
    /// The recipe's model and training options with the parsed overrides: geometry and batch replace the recipe's,
    /// <c>--legacy</c> items switch behaviours back, and the length is <paramref name="steps"/> or
    /// <paramref name="epochs"/> (epochs of the recipe: every window of every population once), else
    /// <paramref name="defaultSteps"/>. In interval mode the bins per patch come from the dataset's intervals.
    /// </summary>
    public NuclrRecipeSettings Build(ParseResult parse, NeuralDataset dataset, int? steps, double? epochs, int defaultSteps,
        double? learningRate, long seed, IReadOnlyCollection<string>? excluded = null)
    {
        string recipe = parse.GetValue(_recipe)!;
        var preset = recipe == "reference" ? NuclrRecipe.Reference(dataset, 1, excluded, seed) : NuclrRecipe.Cpu(dataset, 1, excluded, seed);
        string? config = parse.GetValue(_config);
        var legacy = CommonOptions.List(parse.GetValue(_legacy));
        bool legacyAttention = legacy.Any(l => l is NuclrLegacyOptions.Attention or "all");
        var geometry = config switch { "paper" => new NuclrEncoderOptions(), "tiny" => NuclrEncoderOptions.Tiny, _ => preset.Model.Encoder };
        double binSeconds = parse.GetValue(_binMs) is { } ms ? ms / 1000 : geometry.BinSeconds;
        int patches = parse.GetValue(_patches) ?? geometry.PatchCount;
        double patchSeconds = parse.GetValue(_patchSeconds) ?? geometry.BinsPerPatch * geometry.BinSeconds;
        string? intervals = parse.GetValue(_intervals);
        int dim = parse.GetValue(_dim) ?? geometry.Dim;
        // Heads of at most 64 dims; with the reference's rotary half of a head turns in pairs, so a multiple of 4.
        int headDim = parse.GetValue(_dim) is null ? geometry.HeadDim
            : legacyAttention ? Math.Min(64, Math.Max(2, dim / 2 / 2 * 2)) : Math.Min(64, Math.Max(4, dim / 2 / 4 * 4));
        if (dim % headDim != 0) throw new ArgumentException($"--dim {dim} must be a multiple of its head size {headDim}");

        var sampling = preset.Model.Sampling with
        {
            WindowSeconds = patches * patchSeconds,
            PatchCount = patches,
            BinSeconds = binSeconds,
            IntervalKind = intervals,
            MaxUnitsPerSample = parse.GetValue(_maxUnits) ?? SizedUnitCap(dataset),
            MaxOffsetSeconds = config switch { "paper" => 30, "tiny" => 10, _ => preset.Model.Sampling.MaxOffsetSeconds },
            Views = parse.GetValue(_views),
            BatchSize = parse.GetValue(_batch) ?? preset.Model.Sampling.BatchSize,
        };
        sampling.Validate();
        int binsPerPatch = intervals is null ? sampling.DomainBinsPerPatch : sampling.BinsPerPatchIn(FirstRecording(dataset));
        var encoder = preset.Model.Encoder with
        {
            Dim = dim,
            HeadDim = headDim,
            Heads = dim / headDim,
            PatchCount = patches,
            BinsPerPatch = binsPerPatch,
            BinSeconds = binSeconds,
        };
        var kind = parse.GetValue(_objective) switch { "vicreg" => ObjectiveKind.Vicreg, "barlow" => ObjectiveKind.Barlow, _ => ObjectiveKind.Dcl };
        var model = NuclrLegacyOptions.Apply(preset.Model with
        {
            Encoder = encoder,
            Sampling = sampling,
            Objective = preset.Model.Objective with { Kind = kind },
            ProjectorDim = dim, // the reference's projector keeps the encoder's width
        }, legacy.Where(l => l != NuclrLegacyOptions.Schedule));
        model.Encoder.Validate();

        int perEpoch = NuclrRecipe.StepsPerEpoch(dataset, model, excluded);
        int total = epochs is { } e ? Math.Max(1, (int)Math.Ceiling(e * perEpoch)) : steps ?? defaultSteps;
        if (total < 1) throw new ArgumentException($"--steps must be at least 1 (got {total})");
        var training = preset.Training with
        {
            TotalSteps = total,
            WarmupSteps = Math.Min(perEpoch, total),
            LearningRate = learningRate ?? preset.Training.LearningRate,
            Seed = seed,
        };
        if (legacy.Any(l => l is NuclrLegacyOptions.Schedule or "all")) training = NuclrLegacyOptions.ApplySchedule(training, learningRate);
        return new NuclrRecipeSettings(model, training, perEpoch);
    }

    /// <summary>
    /// A one-line note when the data exist only inside trials (<see cref="IntervalCoverage"/> of the first sessions
    /// with 'trial' intervals) and <c>--intervals</c> was not given: whole-domain windows would cross the gaps and see
    /// a silence the animal never had. Null otherwise.
    /// </summary>
    public string? IntervalAdvice(ParseResult parse, NeuralDataset dataset)
    {
        if (parse.GetValue(_intervals) is not null) return null;
        var coverage = IntervalCoverage.OfDataset(dataset, "trial");
        return coverage is { LooksIntervalOnly: true }
            ? $"note: {coverage}: the data exist only inside trials, and windows across the gaps see a silence that is not one; pass --intervals trial"
            : null;
    }

    /// <summary>The default unit cap for this dataset: <see cref="DefaultUnitCap"/> when a session is larger, else none.</summary>
    private static int? SizedUnitCap(NeuralDataset dataset) =>
        dataset.Sessions.Any(s => s.UnitCount > DefaultUnitCap) ? DefaultUnitCap : null;

    /// <summary>A one-line note when the default unit cap applies (no <c>--max-units</c> and a session above it); null otherwise.</summary>
    public string? SizingNote(ParseResult parse, NeuralDataset dataset)
    {
        if (parse.GetValue(_maxUnits) is not null || SizedUnitCap(dataset) is null) return null;
        int largest = dataset.Sessions.Max(s => s.UnitCount);
        return $"note: sessions of up to {largest:N0} units: training and embedding use random subsets of {DefaultUnitCap} units (--max-units sets another size)";
    }

    /// <summary>The first session's intervals and domain (the bins per patch in interval mode depend on nothing else).</summary>
    private static Recording FirstRecording(NeuralDataset dataset) =>
        dataset.Sessions.Count == 0
            ? throw new ArgumentException($"the dataset at {dataset.Path} has no session")
            : dataset.ReadRecording(dataset.Sessions[0].SessionId, RecordingParts.None); // intervals only: no spikes needed
}
