using System.Runtime;

namespace MLNeuro.Estimators;

/// <summary>
/// Holds the garbage collector off while libtorch runs a training step. TorchSharp 0.107 turns a double argument into a
/// <c>Scalar</c> implicitly and hands libtorch only its native handle, so a collection during the native call can
/// finalise a Scalar that libtorch is still reading: the rare "Expected false to be true ... toFloat" errors seen in
/// AdamW's <c>addcdiv_</c> (TorchSharp's own code, which MLNeuro cannot give explicit Scalars) and in model code. No
/// collection, no finalisation. If the steps allocate more than the budget, the runtime collects anyway and the
/// region ends early: the guard then does nothing, and the training loop's rollback to the last checkpoint remains.
/// </summary>
/// <remarks>
/// The runtime has one no-GC region per process, so regions are counted: steps that run at the same time on several
/// threads (two models trained in parallel, parallel tests) share the first one's region, which ends when the last of
/// them leaves.
/// </remarks>
internal readonly struct GcFreeRegion : IDisposable
{
    /// <summary>Managed allocation the steps in flight may make before the runtime collects anyway: a POYO or NuCLR step allocates a few MB of tensor handles.</summary>
    public const long DefaultBudgetBytes = 64L << 20;

    private static readonly object Gate = new();
    private static int _holders;

    private readonly bool _entered;

    private GcFreeRegion(bool entered) => _entered = entered;

    /// <summary>True when the collector is being held off (by this region or one it shares).</summary>
    public bool IsActive => _entered && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion;

    /// <summary>Joins the region in progress, or starts one (after a collection that makes room for the budget).</summary>
    public static GcFreeRegion Enter(long budgetBytes = DefaultBudgetBytes)
    {
        lock (Gate)
        {
            if (_holders == 0 && GCSettings.LatencyMode != GCLatencyMode.NoGCRegion)
            {
                try
                {
                    if (!GC.TryStartNoGCRegion(budgetBytes)) return default;
                }
                catch (ArgumentOutOfRangeException)
                {
                    return default;   // a budget larger than this runtime's GC can reserve: run unguarded
                }
                catch (InvalidOperationException)
                {
                    return default;   // a region someone else started (not through this type): leave it to them
                }
            }
            else if (_holders == 0)
            {
                return default;       // a region someone else started: not ours to join or end
            }
            _holders++;
            return new GcFreeRegion(true);
        }
    }

    /// <summary>Leaves the region; the last holder ends it unless an over-budget collection already did.</summary>
    public void Dispose()
    {
        if (!_entered) return;
        lock (Gate)
        {
            if (--_holders == 0 && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
        }
    }
}
