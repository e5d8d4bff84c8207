using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// Pre-LayerNorm GEGLU feed-forward: Linear(d, 2*mult*d), value * GELU(gate), optional training-time dropout (torch_brain's
/// ffn_dropout sits here), Linear(mult*d, d). The residual is the block's job.
/// </summary>
internal sealed class GegluFeedForward : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm norm;
    private readonly Linear proj_in;
    private readonly Linear proj_out;
    private readonly double _dropout;
    private readonly DropoutSource? _dropoutSource;

    public GegluFeedForward(int dim, int mult, Generator generator, double dropout = 0, DropoutSource? dropoutSource = null) : base(nameof(GegluFeedForward))
    {
        if (dropout > 0 && dropoutSource is null) throw new ArgumentNullException(nameof(dropoutSource), "dropout needs a dropout source");
        _dropout = dropout;
        _dropoutSource = dropoutSource;
        if (mult <= 0) throw new ArgumentOutOfRangeException(nameof(mult), mult, "must be positive");
        norm = nn.LayerNorm(dim);
        proj_in = nn.Linear(dim, 2L * mult * dim);
        proj_out = nn.Linear((long)mult * dim, dim);
        SeededInit.Reset(proj_in, generator);
        SeededInit.Reset(proj_out, generator);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var halves = proj_in.forward(norm.forward(x)).chunk(2, -1);
        var gated = halves[0] * nn.functional.gelu(halves[1]);
        if (_dropoutSource is not null) gated = _dropoutSource.Apply(gated, _dropout, training);
        return proj_out.forward(gated).MoveToOuterDisposeScope();
    }

    /// Writes this sublayer into an ONNX graph (mirrors <see cref="forward"/>) and returns the output's name.
    public string ExportOnnx(OnnxGraphBuilder g, string x)
    {
        long hidden = proj_out.weight!.shape[1];
        var halves = g.Split(g.Linear(g.LayerNorm(x, norm.weight!, norm.bias!), proj_in.weight!, proj_in.bias), -1, hidden, hidden);
        return g.Linear(g.Mul(halves[0], g.Gelu(halves[1])), proj_out.weight!, proj_out.bias);
    }
}
