using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// Shape checks and helpers shared by the objectives. Every objective takes embeddings shaped
/// [batch, views, units, dim] and a boolean unit mask [batch, units] (true = a real unit): recordings have different
/// unit counts, so units are padded per sample and the padding must never reach a loss.
/// </summary>
internal static class ObjectiveInputs
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the argument when the shapes or the mask type are wrong.</summary>
    public static void Check(Tensor embeddings, Tensor unitMask)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(unitMask);
        if (embeddings.dim() != 4)
            throw new ArgumentException($"Expected embeddings shaped [batch, views, units, dim], got [{string.Join(", ", embeddings.shape)}].", nameof(embeddings));
        if (!embeddings.is_floating_point())
            throw new ArgumentException($"Expected floating-point embeddings, got {embeddings.dtype}.", nameof(embeddings));
        if (embeddings.shape[1] < 2)
            throw new ArgumentException($"Every objective compares views: expected at least 2 views, got {embeddings.shape[1]}.", nameof(embeddings));
        if (unitMask.dtype != ScalarType.Bool)
            throw new ArgumentException($"Expected a boolean unit mask, got {unitMask.dtype}.", nameof(unitMask));
        if (unitMask.dim() != 2 || unitMask.shape[0] != embeddings.shape[0] || unitMask.shape[1] != embeddings.shape[2])
            throw new ArgumentException(
                $"Expected a unit mask shaped [batch, units] = [{embeddings.shape[0]}, {embeddings.shape[2]}], got [{string.Join(", ", unitMask.shape)}].",
                nameof(unitMask));
    }

    /// <summary>The unordered view pairs (v, w), v &lt; w.</summary>
    public static IEnumerable<(int First, int Second)> UnorderedPairs(long views)
    {
        for (int v = 0; v < views; v++)
            for (int w = v + 1; w < views; w++)
                yield return (v, w);
    }

    /// <summary>
    /// The real units of every sample pooled, per view: [views, realUnits, dim]. The same units are taken from every
    /// view (the mask is per sample, not per view), so row r of each view is the same unit.
    /// </summary>
    public static Tensor RealUnits(Tensor embeddings, Tensor unitMask)
    {
        using var scope = NewDisposeScope();
        var views = embeddings.shape[1];
        var dim = embeddings.shape[3];
        var index = unitMask.reshape(-1).nonzero().squeeze(1);
        // [batch, views, units, dim] -> [views, batch * units, dim], then keep the real rows.
        var flat = embeddings.transpose(0, 1).reshape(views, -1, dim);
        return flat.index_select(1, index).MoveToOuterDisposeScope();
    }
}
