using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// TorchSharp initialises new layers from the process-global RNG; re-drawing them from an explicit generator makes a
/// model's initial weights a function of its seed alone (docs/design.md, 'TorchSharp pitfalls': no global RNG anywhere).
internal static class SeededInit
{
    /// Redraws a Linear layer as PyTorch's default does: weight and bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
    public static void Reset(Linear linear, Generator generator)
    {
        using var noGrad = no_grad();
        double bound = 1.0 / Math.Sqrt(linear.weight!.shape[1]);
        Uniform(linear.weight, bound, generator);
        if (linear.bias is { } bias) Uniform(bias, bound, generator);
    }

    // Drawn with rand + copy_ because TorchSharp 0.107's nn.init.uniform_ ignores its generator argument (measured:
    // two generators with one seed filled different values).
    private static void Uniform(Tensor target, double bound, Generator generator)
    {
        using var draw = rand(target.shape, dtype: target.dtype, device: target.device, generator: generator);
        using var scaled = draw * (2 * bound) - bound;
        target.copy_(scaled);
    }
}
