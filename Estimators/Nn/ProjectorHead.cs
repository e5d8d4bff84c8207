using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>Projector for self-supervised objectives: LayerNorm, Linear, ReLU, Linear, optionally L2-normalised.</summary>
internal sealed class ProjectorHead : nn.Module<Tensor, Tensor>
{
    private readonly bool _l2Normalize;

    private readonly LayerNorm norm;
    private readonly Linear fc1;
    private readonly Linear fc2;

    public ProjectorHead(int inDim, int hiddenDim, int outDim, bool l2Normalize, Generator generator) : base(nameof(ProjectorHead))
    {
        _l2Normalize = l2Normalize;
        norm = nn.LayerNorm(inDim);
        fc1 = nn.Linear(inDim, hiddenDim);
        fc2 = nn.Linear(hiddenDim, outDim);
        SeededInit.Reset(fc1, generator);
        SeededInit.Reset(fc2, generator);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = fc2.forward(nn.functional.relu(fc1.forward(norm.forward(x))));
        if (_l2Normalize) y = nn.functional.normalize(y, 2.0, -1, 1e-12);
        return y.MoveToOuterDisposeScope();
    }
}
