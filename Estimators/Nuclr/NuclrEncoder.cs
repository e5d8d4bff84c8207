using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// NuCLR's permutation-equivariant spatio-temporal transformer (docs/design.md, 'NuCLR'). Input: binned spike counts
/// [batch, units, patches, binsPerPatch] and a unit mask [batch, units] (true = a real unit, false = padding). Output:
/// per-unit embeddings [batch, units, dim], the mean over patches of the final states; padded units' rows are zero.
/// </summary>
/// <remarks>
/// <para>Preprocessing (<see cref="NuclrEncoderOptions.Input"/>): raw counts by default, as the reference; or log1p, which
/// compresses the three decades of firing rates (0.1 to 100 Hz) so the busiest units do not dominate the projection's
/// output scale, and keeps zero at zero.</para>
/// <para>Nothing in the input says which unit is which: no unit, session or position embedding over neurons. Temporal
/// attention runs per (recording, unit) over its patches with rotary position over the patch index; spatial attention
/// runs per (recording, patch) over all units with only a key padding mask. Every operation is therefore either
/// per-unit or a symmetric function of the set of units, so permuting the units permutes the outputs.</para>
/// <para>Padding: padded units' counts are zeroed on entry (so garbage or NaN in them cannot leak through 0 x NaN in the
/// attention product), they are never keys in spatial attention, and their outputs are zeroed at the end. A recording
/// with no real unit at all attends without a mask (SDPA would give NaN on a fully masked row) and yields zeros. The
/// mask is also how units silent in a window are left out of it (the reference tokenises only units that spike).</para>
/// <para>Dropout (<see cref="NuclrEncoderOptions.Dropout"/>) draws from <see cref="DropoutSource"/>'s generator, which
/// the trainer sets per step; it is off in eval mode and absent from the ONNX export.</para>
/// </remarks>
internal sealed class NuclrEncoder : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly NuclrEncoderOptions _options;
    private readonly RotaryEmbedding _rotary;
    private readonly DropoutSource _dropout = new();

    // Named like the PyTorch state-dict keys.
    private readonly Linear patch_embed;
    private readonly ModuleList<TransformerBlock> temporal_blocks;
    private readonly ModuleList<TransformerBlock> spatial_blocks;
    private readonly ModuleList<TransformerBlock> mixed_temporal_blocks;
    private readonly LayerNorm? norm;

    public NuclrEncoder(NuclrEncoderOptions options, Generator generator) : base(nameof(NuclrEncoder))
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generator);
        _options = options.Validate();
        int d = options.Dim;
        _rotary = options.RotateHalf
            // The reference's rotary: half of each head's dims, periods log-spaced from 1 to 8x the patch count. (A
            // period of 1 turns a full circle per patch, so at integer positions its pair does not move; kept as is.)
            ? new RotaryEmbedding(options.HeadDim, options.HeadDim / 2, minPeriod: 1, maxPeriod: 8.0 * options.PatchCount)
            // Every head dim rotating: periods from 2 patches (the fastest phase integer positions can resolve) to 4x the
            // window, so the slowest pair turns less than a quarter circle across it and never wraps.
            : new RotaryEmbedding(options.HeadDim, options.HeadDim, minPeriod: 2, maxPeriod: Math.Max(2, 4.0 * options.PatchCount));

        patch_embed = nn.Linear(options.BinsPerPatch, d);
        SeededInit.Reset(patch_embed, generator);
        TransformerBlock Block(RotaryEmbedding? rotary) => new(d, options.Heads, options.HeadDim, options.FfnMultiplier, rotary, generator,
            rotateValue: rotary is not null && options.RotateValues, qkvBias: options.QkvBias,
            dropout: new BlockDropout(Attention: 0, FeedForward: options.Dropout, Residual: options.Dropout, _dropout));
        temporal_blocks = new ModuleList<TransformerBlock>();
        for (int i = 0; i < options.TemporalBlocks; i++) temporal_blocks.Add(Block(_rotary));
        spatial_blocks = new ModuleList<TransformerBlock>();
        mixed_temporal_blocks = new ModuleList<TransformerBlock>();
        for (int i = 0; i < options.SpatioTemporalBlocks; i++)
        {
            // No rotary in spatial blocks: units have no order, and any positional signal would break equivariance.
            spatial_blocks.Add(Block(null));
            mixed_temporal_blocks.Add(Block(_rotary));
        }
        // Optional: pre-LN blocks leave the residual stream un-normalised, and a final LayerNorm (MLNeuro's earlier
        // choice) fixes the embedding's scale; the reference feeds the raw mean to the projector, whose own LayerNorm
        // comes first anyway.
        if (options.FinalNorm) norm = nn.LayerNorm(d);
        RegisterComponents();
    }

    public NuclrEncoderOptions Options => _options;

    /// <summary>The rotary embedding of the temporal blocks (exposed for tests of its periods).</summary>
    internal RotaryEmbedding Rotary => _rotary;

    /// <summary>Where dropout finds the training step's generator; set it before a training-mode forward pass.</summary>
    public DropoutSource Dropout => _dropout;

    /// <summary>Per-unit embeddings [batch, units, dim]; zero for padded units.</summary>
    /// <param name="counts">[batch, units, patches, binsPerPatch] spike counts (any float dtype; non-negative).</param>
    /// <param name="unitMask">[batch, units] bool, true for real units.</param>
    public override Tensor forward(Tensor counts, Tensor unitMask)
    {
        using var scope = NewDisposeScope();
        var states = EncodePatches(counts, unitMask);
        // EncodePatches already zeroed padded units, so their mean is zero too.
        return states.mean(new long[] { 2 }).MoveToOuterDisposeScope();
    }

    /// <summary>Final per-patch states [batch, units, patches, dim] (after the final LayerNorm, if any); zero for padded units.</summary>
    /// <inheritdoc cref="forward" path="/param"/>
    public Tensor EncodePatches(Tensor counts, Tensor unitMask)
    {
        using var scope = NewDisposeScope();
        CheckInputs(counts, unitMask);
        long batch = counts.shape[0], units = counts.shape[1], patches = counts.shape[2];
        long d = _options.Dim;
        var keep = unitMask.to(ScalarType.Bool);
        // masked_fill rather than a multiply by the mask: 0 x NaN is NaN.
        var dropped = keep.logical_not().view(batch, units, 1, 1);

        var input = counts.masked_fill(dropped, 0);
        if (_options.Input == NuclrInput.Log1p) input = input.log1p();
        var x = patch_embed.forward(input); // [B, U, P, d]

        // Temporal sequences: one per (recording, unit), positions = patch index.
        var positions = arange(patches, dtype: ScalarType.Float32, device: counts.device).unsqueeze(0).expand(batch * units, patches);
        x = x.reshape(batch * units, patches, d);
        foreach (var block in temporal_blocks) x = block.forward(x, positions, null);

        // Key padding for spatial sequences: true = padded; a recording with no real unit attends unmasked (its rows
        // are zeroed at the end) because a fully masked row is NaN in SDPA.
        var anyReal = keep.any(1, keepdim: true);
        var padded = keep.logical_not().logical_and(anyReal);                          // [B, U]
        var spatialMask = padded.unsqueeze(1).expand(batch, patches, units).reshape(batch * patches, units);
        for (int i = 0; i < spatial_blocks.Count; i++)
        {
            // [B*U, P, d] -> [B*P, U, d]: one sequence over units per (recording, patch).
            var s = x.view(batch, units, patches, d).transpose(1, 2).reshape(batch * patches, units, d);
            s = spatial_blocks[i].forward(s, null, spatialMask);
            x = s.view(batch, patches, units, d).transpose(1, 2).reshape(batch * units, patches, d);
            x = mixed_temporal_blocks[i].forward(x, positions, null);
        }
        if (norm is not null) x = norm.forward(x);
        var states = x.view(batch, units, patches, d).masked_fill(dropped, 0);
        return states.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Writes the encoder as ONNX for one window of one recording. Inputs: <c>counts</c> [1, "UxPxB"] (the
    /// [units, patches, binsPerPatch] counts flattened row-major; the unit count is derived in the graph) and
    /// <c>unit_group</c> [1, "U"] (float, one value per unit: units with the same value g &gt;= 0 form one population
    /// and attend only to each other; -1 leaves a unit out, as a silent unit or one outside the population being
    /// embedded). Output <c>embedding</c> [1, "UxD"] (the [units, dim] embeddings flattened; zero for units left out).
    /// Several populations of one window can thus be embedded in one call, exactly as separate calls would.
    /// </summary>
    public byte[] ExportOnnx()
    {
        long p = _options.PatchCount, b = _options.BinsPerPatch, d = _options.Dim;
        var g = new OnnxGraphBuilder("nuclr_encoder");
        var counts = g.Reshape(g.Input("counts", OnnxElementType.Float, 1, "UxPxB"), -1, p, b); // [U, P, B]
        var group = g.Reshape(g.Input(GroupInputName, OnnxElementType.Float, 1, "U"), -1);          // [U]
        var input = _options.Input == NuclrInput.Log1p ? g.Node("Log", new[] { g.Add(counts, g.Scalar(1f)) })[0] : counts;
        var x = g.Linear(input, patch_embed.weight!, patch_embed.bias);                             // [U, P, d]

        // Patch positions are fixed at export (0..P-1), so cos/sin are initializers, computed as in Rotate.
        var (cos, sin) = _rotary.Table(Enumerable.Range(0, (int)p).Select(i => (double)i).ToArray());
        var shape = new long[] { p, _rotary.RotaryDim / 2 };
        var cosName = g.Initializer(cos, shape, "rope_cos"); // broadcasts over [U, heads, P, pairs]
        var sinName = g.Initializer(sin, shape, "rope_sin");

        // Spatial key mask [U, U]: key j is visible to query i when both are in the same population (g_i = g_j >= 0).
        // A left-out query sees no key; its softmax over uniform -1e9 scores stays finite and its output is zeroed below.
        var member = g.Node("GreaterOrEqual", new[] { group, g.Scalar(0f) })[0];                   // [U] bool
        var same = g.Equal(g.Unsqueeze(group, 1), g.Unsqueeze(group, 0));     // [U, U] bool
        var visible = g.Node("And", new[] { same, g.Unsqueeze(member, 0) })[0];
        var spatialMask = g.Where(visible, g.Scalar(0f), g.Scalar(-1e9f));   // [U, U], broadcasts over [P, heads, U, U]

        foreach (var block in temporal_blocks) x = block.ExportOnnx(g, x, cosName, sinName, null);
        for (int i = 0; i < spatial_blocks.Count; i++)
        {
            var s = g.Transpose(x, 1, 0, 2);                                                        // [P, U, d]
            s = spatial_blocks[i].ExportOnnx(g, s, null, null, spatialMask);
            x = g.Transpose(s, 1, 0, 2);                                                            // [U, P, d]
            x = mixed_temporal_blocks[i].ExportOnnx(g, x, cosName, sinName, null);
        }
        if (norm is not null) x = g.LayerNorm(x, norm.weight!, norm.bias!);
        var embedding = g.ReduceMean(x, new long[] { 1 }, keepDims: false);                        // [U, d]
        embedding = g.Where(g.Unsqueeze(member, 1), embedding, g.Scalar(0f));
        return g.Output(g.Reshape(embedding, 1, -1), "embedding", OnnxElementType.Float, 1, "UxD").ToBytes();
    }

    /// <summary>Name of the ONNX graph's population input (see <see cref="ExportOnnx"/>).</summary>
    public const string GroupInputName = "unit_group";

    private void CheckInputs(Tensor counts, Tensor unitMask)
    {
        if (counts.dim() != 4 || counts.shape[2] != _options.PatchCount || counts.shape[3] != _options.BinsPerPatch)
            throw new ArgumentException(
                $"counts must be [batch, units, {_options.PatchCount}, {_options.BinsPerPatch}], got [{string.Join(", ", counts.shape)}]", nameof(counts));
        if (unitMask.dim() != 2 || unitMask.shape[0] != counts.shape[0] || unitMask.shape[1] != counts.shape[1])
            throw new ArgumentException(
                $"unitMask must be [{counts.shape[0]}, {counts.shape[1]}], got [{string.Join(", ", unitMask.shape)}]", nameof(unitMask));
    }
}
