using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// Splits a module's trainable parameters into the decayed (weight matrices) and the undecayed: LayerNorm weights,
/// biases and embedding tables (nn.Embedding and POYO's ExtendableEmbedding). Decaying norm gains or biases towards zero only hurts; embedding rows of rare units
/// would shrink just for being rare.
/// </summary>
internal static class ParameterGroups
{
    public static (List<(string Name, Parameter Parameter)> Decay, List<(string Name, Parameter Parameter)> NoDecay) Split(nn.Module module)
    {
        var exempt = new HashSet<IntPtr>();
        foreach (var (_, sub) in module.named_modules())
            if (sub is LayerNorm or Embedding or ExtendableEmbedding)
                foreach (var p in sub.parameters()) exempt.Add(p.Handle);

        var decay = new List<(string, Parameter)>();
        var noDecay = new List<(string, Parameter)>();
        foreach (var (name, p) in module.named_parameters())
        {
            if (!p.requires_grad) continue;
            bool isExempt = exempt.Contains(p.Handle) || name.EndsWith("bias", StringComparison.Ordinal) || p.dim() < 2;
            (isExempt ? noDecay : decay).Add((name, p));
        }
        return (decay, noDecay);
    }
}
