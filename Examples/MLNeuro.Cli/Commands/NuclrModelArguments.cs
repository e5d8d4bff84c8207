using System.CommandLine;
using MLNeuro.Estimators;
using MLNeuro.Loaders;

namespace MLNeuro.Cli.Commands;

/// <summary>
/// The NuCLR model and sampling options shared by <c>pretrain nuclr</c> and <c>evaluate nuclr</c>: a named
/// configuration plus overrides of its width and window geometry, defined once so both commands build the same model.
/// </summary>
internal sealed class NuclrModelArguments
{
    private readonly Option<string> _config = new("--config")
    {
        Description = "tiny: d=32, 4 patches x 10 bins of 20 ms (0.8 s windows), the CPU default; "
            + "paper: d=256, 10 patches x 50 bins of 20 ms (10 s windows), NuCLR's settings (slow on CPU).",
        DefaultValueFactory = _ => "tiny",
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
        Description = "Train on at most this many units of a recording per sample (a random subset shared by its views); bounds the cost on large recordings. Embedding uses every unit.",
    };
    private readonly Option<string> _objective = new("--objective") { Description = "Self-supervised objective.", DefaultValueFactory = _ => "dcl" };
    private readonly Option<int> _views = new Option<int>("--views") { Description = "Views per sample (more suit vicreg/barlow).", DefaultValueFactory = _ => 2 }.AtLeast(2);
    private readonly Option<int> _batch = new Option<int>("--batch") { Description = "Samples (recording windows) per step.", DefaultValueFactory = _ => 8 }.AtLeast(1);

    public NuclrModelArguments()
    {
        _config.AcceptOnlyFromAmong("tiny", "paper");
        _objective.AcceptOnlyFromAmong("dcl", "vicreg", "barlow");
        _dim.AtLeastWhenSet(2);
        _maxUnits.AtLeastWhenSet(2);
        _patches.AtLeastWhenSet(1);
        _patchSeconds.AtLeastWhenSet(0.0, exclusive: true);
        _binMs.AtLeastWhenSet(0.0, exclusive: true);
    }

    /// <summary>Samples per step, for converting epochs to steps.</summary>
    public Option<int> Batch => _batch;

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _config, _dim, _patches, _patchSeconds, _binMs, _intervals, _maxUnits, _objective, _views, _batch })
            command.Options.Add(option);
    }

    /// <summary>
    /// The model options of the parsed configuration and overrides. In interval mode the bins per patch come from the
    /// dataset's intervals (every interval of the kind must hold the same number of bins).
    /// </summary>
    public NuclrModelOptions Build(ParseResult parse, NeuralDataset dataset)
    {
        string config = parse.GetValue(_config)!;
        var preset = Preset(config);
        double binSeconds = parse.GetValue(_binMs) is { } ms ? ms / 1000 : preset.BinSeconds;
        int patches = parse.GetValue(_patches) ?? preset.PatchCount;
        double patchSeconds = parse.GetValue(_patchSeconds) ?? preset.BinsPerPatch * preset.BinSeconds;
        string? intervals = parse.GetValue(_intervals);
        int dim = parse.GetValue(_dim) ?? preset.Dim;
        int headDim = parse.GetValue(_dim) is null ? preset.HeadDim : Math.Min(64, Math.Max(2, dim / 2 / 2 * 2));
        if (dim % headDim != 0) throw new ArgumentException($"--dim {dim} must be a multiple of its head size {headDim}");

        var sampling = new NuclrSamplingOptions
        {
            WindowSeconds = patches * patchSeconds,
            PatchCount = patches,
            BinSeconds = binSeconds,
            IntervalKind = intervals,
            MaxUnitsPerSample = parse.GetValue(_maxUnits),
            MaxOffsetSeconds = config == "paper" ? 30 : 10,
            Views = parse.GetValue(_views),
            BatchSize = parse.GetValue(_batch),
        };
        sampling.Validate();
        int binsPerPatch = intervals is null ? sampling.DomainBinsPerPatch : sampling.BinsPerPatchIn(FirstRecording(dataset));
        var encoder = preset with
        {
            Dim = dim,
            HeadDim = headDim,
            Heads = dim / headDim,
            PatchCount = patches,
            BinsPerPatch = binsPerPatch,
            BinSeconds = binSeconds,
        };
        var kind = parse.GetValue(_objective) switch { "vicreg" => ObjectiveKind.Vicreg, "barlow" => ObjectiveKind.Barlow, _ => ObjectiveKind.Dcl };
        return new NuclrModelOptions
        {
            Encoder = encoder.Validate(),
            Sampling = sampling,
            Objective = new ObjectiveOptions { Kind = kind },
            ProjectorDim = Math.Min(128, dim),
        };
    }

    /// <summary>The encoder of a named configuration.</summary>
    internal static NuclrEncoderOptions Preset(string config) => config == "paper" ? new NuclrEncoderOptions() : NuclrEncoderOptions.Tiny;

    /// <summary>The first session's intervals and domain (the bins per patch in interval mode depend on nothing else).</summary>
    private static Recording FirstRecording(NeuralDataset dataset) =>
        dataset.Sessions.Count == 0
            ? throw new ArgumentException($"the dataset at {dataset.Path} has no session")
            : dataset.ReadRecording(dataset.Sessions[0].SessionId, RecordingParts.None); // intervals only: no spikes needed
}
