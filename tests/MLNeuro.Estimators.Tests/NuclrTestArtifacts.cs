using MLNeuro.Estimators;
using static TorchSharp.torch;

namespace MLNeuro.Estimators.Tests;

/// <summary>
/// Builds an untrained NuCLR artifact the way pretraining will write one: a module with fields <c>encoder</c> and
/// <c>projector</c> (so weights carry those prefixes), the Tiny encoder, sampling windows of exactly one encoder window,
/// and the encoder's ONNX export. Linked into the CLI tests too.
/// </summary>
internal static class NuclrTestArtifacts
{
    public static NuclrModelOptions TinyOptions { get; } = new()
    {
        Encoder = NuclrEncoderOptions.Tiny,
        Sampling = new NuclrSamplingOptions
        {
            PatchCount = NuclrEncoderOptions.Tiny.PatchCount,
            BinSeconds = NuclrEncoderOptions.Tiny.BinSeconds,
            WindowSeconds = NuclrEncoderOptions.Tiny.PatchCount * NuclrEncoderOptions.Tiny.BinsPerPatch * NuclrEncoderOptions.Tiny.BinSeconds,
            MaxOffsetSeconds = 1,
        },
        ProjectorDim = 8,
    };

    public static ModelArtifact Untrained(int seed = 1, NuclrModelOptions? options = null)
    {
        TorchRuntime.EnsureAvailable();
        options ??= TinyOptions;
        var generator = new Generator((ulong)seed);
        using var model = new Pretraining(options, generator);
        model.eval();
        // LayerNorms start at ones/zeros; random affine parameters make a dropped or misplaced norm show up in parity.
        using (no_grad())
        {
            var noise = new Generator((ulong)seed + 1000);
            foreach (var (name, p) in model.named_parameters())
            {
                if (!name.Contains("norm")) continue;
                var r = randn(p.shape, generator: noise) * 0.2;
                p.copy_(name.EndsWith("weight") ? r + 1 : r);
            }
        }
        var manifest = new ModelManifest(NuclrModelOptions.ModelKind, options.ToJson(), ModelProvenance.Now(seed: seed));
        return ModelArtifact.FromModule(model, manifest, model.Encoder.ExportOnnx());
    }

    /// <summary>The pretraining-shaped module: state-dict names encoder.* and projector.*.</summary>
    private sealed class Pretraining : nn.Module
    {
        private readonly NuclrEncoder encoder;
        private readonly ProjectorHead projector;

        public Pretraining(NuclrModelOptions options, Generator generator) : base(nameof(Pretraining))
        {
            encoder = new NuclrEncoder(options.Encoder, generator);
            projector = new ProjectorHead(options.Encoder.Dim, options.Encoder.Dim, options.ProjectorDim, l2Normalize: false, generator);
            RegisterComponents();
        }

        public NuclrEncoder Encoder => encoder;
    }
}
