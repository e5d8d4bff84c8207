namespace MLNeuro.Estimators;

/// <summary>
/// Draws how many units a training window keeps under <see cref="PoyoUnitDropout"/>, by the reference's rejection
/// sampler (torch_brain <c>TriangleDistribution.sample</c>): x uniform in [min, max] is accepted when a uniform u
/// satisfies u &lt;= f(x) / (M·q) with M = 10, where f is the unnormalised density (1 at the ends, peak at the mode) and
/// q, the reference's "proposal density", is itself a fresh uniform draw. That makes the accepted counts flatter than f;
/// we keep the rule so counts follow the reference's distribution. After 100 rejections every unit is kept. The count
/// is int(x) (truncated, as the reference), capped by the population, and at least 1.
/// </summary>
internal static class TriangularUnitCount
{
    private const double M = 10;
    private const int MaxAttempts = 100;

    public static int Sample(int population, PoyoUnitDropout options, Random random)
    {
        if (population < options.MinUnits) return population;
        for (int attempt = 0; attempt <= MaxAttempts; attempt++)
        {
            double x = options.MinUnits + random.NextDouble() * (options.MaxUnits - options.MinUnits);
            double u = random.NextDouble();
            double q = random.NextDouble();
            if (u <= Density(x, options) / (M * q)) return Math.Clamp((int)x, 1, population);
        }
        return population;
    }

    /// <summary>The reference's unnormalised density (tail_right = max).</summary>
    internal static double Density(double x, PoyoUnitDropout o)
    {
        if (x < o.MinUnits) return 0;
        if (x <= o.ModeUnits) return 1 + (o.Peak - 1) * (x - o.MinUnits) / (o.ModeUnits - o.MinUnits);
        if (x <= o.MaxUnits) return o.Peak - (o.Peak - 1) * (x - o.ModeUnits) / (o.MaxUnits - o.ModeUnits);
        return 1;
    }
}
