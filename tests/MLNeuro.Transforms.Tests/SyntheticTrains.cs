using MLNeuro.Loaders;

namespace MLNeuro.Transforms.Tests;

/// <summary>Seeded spike trains for the selection and augmentation tests.</summary>
internal static class SyntheticTrains
{
    /// <summary>Homogeneous Poisson spikes at <paramref name="rateHz"/> in [start, end).</summary>
    public static double[] Poisson(Random random, double rateHz, double start, double end)
    {
        var times = new List<double>();
        for (double t = start - Math.Log(1 - random.NextDouble()) / rateHz; t < end; t -= Math.Log(1 - random.NextDouble()) / rateHz)
            times.Add(t);
        return times.ToArray();
    }

    /// <summary><paramref name="bursts"/> bursts of <paramref name="spikesPerBurst"/> spikes packed into 5 ms, evenly spread.</summary>
    public static double[] RareBursts(double start, double end, int bursts, int spikesPerBurst)
    {
        var times = new List<double>();
        double step = (end - start) / bursts;
        for (int b = 0; b < bursts; b++)
            for (int s = 0; s < spikesPerBurst; s++)
                times.Add(start + b * step + step / 2 + s * 0.005 / spikesPerBurst);
        return times.ToArray();
    }

    public static Recording Build(string session, double end, params (string Id, double[] Times)[] units)
    {
        var builder = new RecordingBuilder(session, "subject");
        foreach (var (id, times) in units) builder.AddSpikes(builder.AddUnit(new UnitInfo(id)), times);
        builder.SetDomain(0, end);
        return builder.Build();
    }
}
