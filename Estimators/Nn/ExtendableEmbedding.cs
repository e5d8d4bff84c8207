using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// An embedding table that can grow: POYO's unit and session vocabularies gain rows for a new session's units
/// without touching the rows already learned. Rows are drawn from N(0, initScale²) with the model's generator
/// (torch_brain's <c>emb_init_scale</c>, 0.02).
/// </summary>
internal sealed class ExtendableEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly int _dim;
    private readonly double _initScale;

    // Named "weight" like nn.Embedding's state-dict key.
    private readonly Parameter weight;

    public ExtendableEmbedding(long rows, int dim, double initScale, Generator generator) : base(nameof(ExtendableEmbedding))
    {
        _dim = dim;
        _initScale = initScale;
        weight = new Parameter(Draw(rows, generator));
        RegisterComponents();
    }

    /// <summary>Number of rows.</summary>
    public long Rows => weight.shape[0];

    /// <summary>The table [rows, dim].</summary>
    public Parameter Weight => weight;

    public override Tensor forward(Tensor indices)
    {
        using var flat = indices.reshape(-1);
        using var rows = weight.index_select(0, flat);
        return rows.view([.. indices.shape, _dim]);
    }

    /// <summary>
    /// Appends <paramref name="count"/> freshly drawn rows; existing rows keep their values. The parameter keeps its
    /// identity but changes shape, so an optimizer built before the call must be rebuilt.
    /// </summary>
    public void Extend(long count, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0) return;
        using var noGrad = no_grad();
        using var added = Draw(count, generator);
        using var grown = cat([weight.detach(), added], 0);
        // set_ swaps the parameter's storage in place: the same Parameter (and state-dict entry) now has more rows.
        weight.set_(grown);
    }

    private Tensor Draw(long rows, Generator generator)
    {
        using var noGrad = no_grad();
        using var draw = randn(rows, _dim, generator: generator);
        return draw * _initScale;
    }
}
