using System.Runtime;

namespace MLNeuro.Estimators.Tests;

public sealed class GcFreeRegionTests
{
    [Fact]
    public void A_region_holds_collections_off_ends_cleanly_and_a_nested_one_does_nothing()
    {
        using (var outer = GcFreeRegion.Enter(16L << 20))
        {
            // Other tests run in parallel and may use up the budget, which ends the region early; check only while it holds.
            if (outer.IsActive)
            {
                Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
                using var nested = GcFreeRegion.Enter(16L << 20);
                Assert.False(nested.IsActive);
            }
        }
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void Allocating_past_the_budget_ends_the_region_and_disposing_it_then_does_not_throw()
    {
        var region = GcFreeRegion.Enter(4L << 20);
        var keep = new List<byte[]>();
        for (int i = 0; i < 64; i++) keep.Add(new byte[256 * 1024]);   // 16 MB against a 4 MB budget
        region.Dispose();
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        Assert.Equal(64, keep.Count);
    }
}
