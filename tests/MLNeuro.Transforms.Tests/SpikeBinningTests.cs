using MLNeuro.Loaders;

namespace MLNeuro.Transforms.Tests;

public sealed class SpikeBinningTests
{
    private static readonly SpikeTrain Train = SpikeTrain.FromUnsorted(
        new[] { 0.00, 0.019, 0.02, 0.039999, 0.04, 0.05, 0.05, 0.099, 0.1, -0.01 },
        new[] { 0, 0, 1, 1, 0, 1, 1, 0, 0, 1 },
        unitCount: 2);

    [Fact]
    public void Counts_land_in_floor_bins_and_edges_go_to_the_later_bin()
    {
        var counts = new float[2 * 5];
        int n = SpikeBinning.CountInto(Train, start: 0, binSeconds: 0.02, binCount: 5, counts);
        // unit 0: 0.00,0.019 -> bin 0; 0.04 -> bin 2; 0.099 -> bin 4; 0.1 is outside [0, 0.1)
        Assert.Equal(new float[] { 2, 0, 1, 0, 1 }, counts[..5]);
        // unit 1: 0.02 -> bin 1 (edge), 0.039999 -> bin 1, 0.05 x2 -> bin 2; -0.01 outside
        Assert.Equal(new float[] { 0, 2, 2, 0, 0 }, counts[5..]);
        Assert.Equal(8, n);
        Assert.Equal(n, counts.Sum());
    }

    [Fact]
    public void Counts_accumulate_until_the_caller_clears()
    {
        var counts = new float[2 * 5];
        SpikeBinning.CountInto(Train, 0, 0.02, 5, counts);
        SpikeBinning.CountInto(Train, 0, 0.02, 5, counts);
        Assert.Equal(16, counts.Sum());
    }

    [Fact]
    public void Empty_window_and_window_beyond_the_data_give_zero_counts()
    {
        var counts = new float[2 * 3];
        Assert.Equal(0, SpikeBinning.CountInto(Train, 10, 0.02, 3, counts));
        Assert.Equal(0, SpikeBinning.CountInto(SpikeTrain.Empty(2), 0, 0.02, 3, counts));
        Assert.All(counts, c => Assert.Equal(0f, c));
    }

    [Fact]
    public void Bad_arguments_name_the_argument()
    {
        var counts = new float[4];
        Assert.Equal("binSeconds", Assert.Throws<ArgumentOutOfRangeException>(() => SpikeBinning.CountInto(Train, 0, 0, 2, counts)).ParamName);
        Assert.Equal("unitsByBins", Assert.Throws<ArgumentException>(() => SpikeBinning.CountInto(Train, 0, 0.02, 5, counts)).ParamName);
    }
}
