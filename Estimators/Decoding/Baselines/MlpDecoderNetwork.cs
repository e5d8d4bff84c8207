using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// The MLP decoder's network: one input layer per session (its units are its own) into a shared trunk. Input layer s:
/// Linear(units_s * lags, hidden) + GELU; trunk: (hiddenLayers - 1) x [Linear(hidden, hidden) + GELU], then
/// Linear(hidden, channels). Dropout after every GELU in training mode, its masks drawn from an explicit generator.
/// State-dict keys: <c>inputs.{s}.*</c>, <c>hidden.{i}.*</c>, <c>output.*</c>.
/// </summary>
internal sealed class MlpDecoderNetwork : nn.Module
{
    private readonly double _dropout;

    private readonly ModuleList<Linear> inputs;
    private readonly ModuleList<Linear> hidden;
    private readonly Linear output;

    public MlpDecoderNetwork(IReadOnlyList<int> inputWidths, int hiddenDim, int hiddenLayers, int outputs, double dropout, Generator generator)
        : base(nameof(MlpDecoderNetwork))
    {
        _dropout = dropout;
        inputs = nn.ModuleList(inputWidths.Select(w => nn.Linear(w, hiddenDim)).ToArray());
        hidden = nn.ModuleList(Enumerable.Range(0, hiddenLayers - 1).Select(_ => nn.Linear(hiddenDim, hiddenDim)).ToArray());
        output = nn.Linear(hiddenDim, outputs);
        foreach (var layer in inputs.Concat(hidden).Append(output)) SeededInit.Reset(layer, generator);
        RegisterComponents();
    }

    /// <summary>Normalised predictions [n, channels] of features of one session [n, width].</summary>
    public Tensor Forward(int session, Tensor features, Generator? dropout = null) => Forward([(session, features)], dropout);

    /// <summary>
    /// Normalised predictions of several sessions' rows at once: each part goes through its session's input layer, the
    /// rows are concatenated in order and share one pass through the trunk.
    /// </summary>
    public Tensor Forward(IReadOnlyList<(int Session, Tensor Features)> parts, Generator? dropout = null)
    {
        using var scope = NewDisposeScope();
        var encoded = parts.Select(p => Drop(nn.functional.gelu(inputs[p.Session].forward(p.Features)), dropout)).ToArray();
        var x = encoded.Length == 1 ? encoded[0] : cat(encoded, 0);
        foreach (var layer in hidden) x = Drop(nn.functional.gelu(layer.forward(x)), dropout);
        return output.forward(x).MoveToOuterDisposeScope();
    }

    private Tensor Drop(Tensor x, Generator? generator)
    {
        if (!training || _dropout <= 0) return x;
        // No global RNG: training-mode dropout must be given the training loop's generator.
        using var draw = rand(x.shape, dtype: x.dtype, device: x.device,
            generator: generator ?? throw new InvalidOperationException("dropout in training mode needs an explicit generator"));
        return x * draw.ge(_dropout).to_type(x.dtype) / (1 - _dropout);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inputs.Dispose();
            hidden.Dispose();
            output.Dispose();
        }
        base.Dispose(disposing);
    }
}
