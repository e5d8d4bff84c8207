using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// One NuCLR pretraining batch. Unit slots are aligned across views: slot u of row b is the recording's unit u in every
/// view, so positives are the same slot in two views and negatives the other slots of the same row. Units dropped in a
/// view, and the padding slots past a recording's unit count, have zero counts and a false <see cref="UnitMask"/>.
/// Owns its tensors; dispose it after the step.
/// </summary>
internal sealed class NuclrBatch : IDisposable
{
    public NuclrBatch(Tensor counts, Tensor unitMask, Tensor sessionIndex, Tensor windowStarts, Tensor firstIntervals, IReadOnlyList<string> sessionIds)
    {
        Counts = counts;
        UnitMask = unitMask;
        SessionIndex = sessionIndex;
        WindowStarts = windowStarts;
        FirstIntervals = firstIntervals;
        SessionIds = sessionIds;
        // The objectives take one mask per sample: a unit is a usable positive only when every view kept it.
        SharedUnitMask = unitMask.all(1);
    }

    /// <summary>Spike counts, float32 [batch, views, maxUnits, patches, binsPerPatch].</summary>
    public Tensor Counts { get; }

    /// <summary>
    /// Bool [batch, views, maxUnits]: true when the slot is a real unit kept in that view (and, with
    /// <see cref="NuclrSamplingOptions.ActiveUnitsOnly"/>, spiking in its window): the view's tokens.
    /// </summary>
    public Tensor UnitMask { get; }

    /// <summary>Bool [batch, maxUnits]: true when the unit is kept in every view (the objectives' unit mask).</summary>
    public Tensor SharedUnitMask { get; }

    /// <summary>Int64 [batch]: index of each row's recording in the sampler's list.</summary>
    public Tensor SessionIndex { get; }

    /// <summary>Float64 [batch, views]: start in seconds of each view's first bin (the first interval's start in interval mode).</summary>
    public Tensor WindowStarts { get; }

    /// <summary>Int64 [batch, views]: interval mode, index (among the intervals of the kind) of each view's first patch; -1 in whole-domain mode.</summary>
    public Tensor FirstIntervals { get; }

    /// <summary>Session id of each row.</summary>
    public IReadOnlyList<string> SessionIds { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Counts.Dispose();
        UnitMask.Dispose();
        SharedUnitMask.Dispose();
        SessionIndex.Dispose();
        WindowStarts.Dispose();
        FirstIntervals.Dispose();
    }
}
