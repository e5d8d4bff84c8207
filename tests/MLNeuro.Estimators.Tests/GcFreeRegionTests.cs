using System.Runtime;

namespace MLNeuro.Estimators.Tests;

public sealed class GcFreeRegionTests
{
    [Fact]
    public void A_region_holds_collections_off_is_shared_by_a_second_holder_and_ends_with_the_last()
    {
        // Other tests train in parallel and share or exhaust the region; assert only what holds whatever they do.
        using (var outer = GcFreeRegion.Enter(16L << 20))
        {
            if (outer.IsActive)
            {
                using var nested = GcFreeRegion.Enter(16L << 20);
                Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            }
        }
    }

    [Fact]
    public void Steps_on_several_threads_at_once_never_collide_on_the_process_wide_region()
    {
        // The runtime allows one no-GC region per process: starting a second one throws. Counted holders never do.
        var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            try
            {
                using var region = GcFreeRegion.Enter(8L << 20);
                var garbage = new byte[64 * 1024];
                GC.KeepAlive(garbage);
            }
            catch (Exception e)
            {
                errors.Add(e);
            }
        });
        Assert.Empty(errors);
    }

    [Fact]
    public void Allocating_past_the_budget_ends_the_region_and_disposing_it_then_does_not_throw()
    {
        var region = GcFreeRegion.Enter(4L << 20);
        var keep = new List<byte[]>();
        for (int i = 0; i < 64; i++) keep.Add(new byte[256 * 1024]);   // 16 MB against a 4 MB budget
        region.Dispose();
        Assert.Equal(64, keep.Count);
    }
}
