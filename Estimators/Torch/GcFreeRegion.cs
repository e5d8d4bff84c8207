using System.Runtime;

namespace MLNeuro.Estimators;

/// <summary>
/// Holds the garbage collector off while libtorch runs a training step. TorchSharp 0.107 turns a double argument into a
/// <c>Scalar</c> implicitly and hands libtorch only its native handle, so a collection during the native call can
/// finalise a Scalar that libtorch is still reading: the rare "Expected false to be true ... toFloat" errors seen in
/// AdamW's <c>addcdiv_</c> (TorchSharp's own code, which MLNeuro cannot give explicit Scalars) and in model code. No
/// collection, no finalisation. If the step allocates more than the budget, the runtime collects anyway and the
/// region ends early: the guard then does nothing, and the training loop's rollback to the last checkpoint remains.
/// </summary>
internal readonly struct GcFreeRegion : IDisposable
{
    /// <summary>Managed allocation a step may make before the runtime collects anyway: a POYO or NuCLR step allocates a few MB of tensor handles.</summary>
    public const long DefaultBudgetBytes = 64L << 20;

    private readonly bool _entered;

    private GcFreeRegion(bool entered) => _entered = entered;

    /// <summary>True when the collector is being held off by this region.</summary>
    public bool IsActive => _entered && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion;

    /// <summary>Starts a region (after one collection that makes room for the budget); a no-op inside another region.</summary>
    public static GcFreeRegion Enter(long budgetBytes = DefaultBudgetBytes)
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return default;
        try
        {
            return new GcFreeRegion(GC.TryStartNoGCRegion(budgetBytes));
        }
        catch (ArgumentOutOfRangeException)
        {
            return default;   // a budget larger than this runtime's GC can reserve: run unguarded
        }
    }

    /// <summary>Ends the region unless an over-budget collection already ended it.</summary>
    public void Dispose()
    {
        if (IsActive) GC.EndNoGCRegion();
    }
}
