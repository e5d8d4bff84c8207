using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// What NuCLR pretraining optimises: the <see cref="NuclrEncoder"/> followed by a <see cref="ProjectorHead"/> the
/// objective sees. Every view of every sample goes through the encoder as its own row (with that view's unit mask), so
/// the population context of a view is the units that view kept.
/// </summary>
/// <remarks>
/// The state dict is the layout <see cref="NuclrModelOptions"/> documents for artifacts: the encoder's parameters under
/// their own names (its children are registered at the top level, not under an <c>encoder.</c> prefix) and the
/// projector's under <c>projector.</c>. A bare <see cref="NuclrEncoder"/> therefore loads the artifact's weights
/// non-strictly (skipping <c>projector.*</c>).
/// </remarks>
internal sealed class NuclrPretrainingModel : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly NuclrEncoder encoder;
    private readonly ProjectorHead projector;

    public NuclrPretrainingModel(NuclrModelOptions options, Generator generator) : base(nameof(NuclrPretrainingModel))
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generator);
        if (options.ProjectorDim < 1) throw new ArgumentOutOfRangeException(nameof(options), options.ProjectorDim, "ProjectorDim must be positive");
        Options = options;
        encoder = new NuclrEncoder(options.Encoder, generator);
        int d = options.Encoder.Dim;
        projector = new ProjectorHead(d, Math.Max(d, options.ProjectorDim), options.ProjectorDim, l2Normalize: false, generator);
        // Encoder children at the top level (the artifact's documented key names), projector under "projector.".
        foreach (var (name, child) in encoder.named_children()) register_module(name, child);
        register_module(nameof(projector), projector);
    }

    /// <summary>The model's options.</summary>
    public NuclrModelOptions Options { get; }

    /// <summary>The encoder (shares its parameters with this module).</summary>
    public NuclrEncoder Encoder => encoder;

    /// <summary>Projections [batch, views, units, ProjectorDim]; padded or dropped units are masked by the objective.</summary>
    /// <param name="counts">[batch, views, units, patches, binsPerPatch] spike counts.</param>
    /// <param name="unitMask">Bool [batch, views, units] (per-view masks) or [batch, units] (the same mask for every view).</param>
    public override Tensor forward(Tensor counts, Tensor unitMask)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(unitMask);
        if (counts.dim() != 5) throw new ArgumentException($"counts must be [batch, views, units, patches, bins], got {counts.dim()} dims", nameof(counts));
        using var scope = NewDisposeScope();
        long b = counts.shape[0], v = counts.shape[1], u = counts.shape[2], p = counts.shape[3], bins = counts.shape[4];
        var mask = unitMask.dim() == 2 ? unitMask.unsqueeze(1).expand(b, v, u) : unitMask;
        var rows = counts.reshape(b * v, u, p, bins);
        var embeddings = encoder.forward(rows, mask.reshape(b * v, u));
        var projections = projector.forward(embeddings);
        return projections.reshape(b, v, u, projections.shape[^1]).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            encoder.Dispose();
            projector.Dispose();
        }
        base.Dispose(disposing);
    }
}
