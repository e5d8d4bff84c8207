namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// Tables of the 256-layer ziggurat method (Marsaglia and Tsang, 2000) for the standard normal and the unit exponential:
/// about 99% of draws cost one 64-bit random number, a multiply and a compare, several times cheaper than the polar or
/// inversion methods, which matters because a session needs millions of each. The tables are computed once, with the
/// same arithmetic on every run, so draws stay reproducible.
/// </summary>
internal static class Ziggurat
{
    /// <summary>Normal: start of the tail and area of each layer.</summary>
    public const double NormalR = 3.6541528853610088, NormalV = 0.00492867323399;

    /// <summary>Exponential: start of the tail and area of each layer.</summary>
    public const double ExpR = 7.69711747013104972, ExpV = 0.0039496598225815571993;

    /// <summary>Normal layer edges x[0..256] (x[0] = V / f(R) is the base strip's virtual width, x[256] = 0) and f(x).</summary>
    public static readonly double[] NormalX = Build(NormalR, NormalV, x => Math.Exp(-0.5 * x * x), y => Math.Sqrt(-2 * Math.Log(y)), out NormalF);

    /// <summary>f(x) = exp(-x^2/2) at <see cref="NormalX"/>.</summary>
    public static readonly double[] NormalF;

    /// <summary>Exponential layer edges, as for the normal.</summary>
    public static readonly double[] ExpX = Build(ExpR, ExpV, x => Math.Exp(-x), y => -Math.Log(y), out ExpF);

    /// <summary>f(x) = exp(-x) at <see cref="ExpX"/>.</summary>
    public static readonly double[] ExpF;

    private static double[] Build(double r, double v, Func<double, double> f, Func<double, double> inverse, out double[] fTable)
    {
        var x = new double[257];
        x[0] = v / f(r);
        x[1] = r;
        for (int i = 2; i < 256; i++) x[i] = inverse(v / x[i - 1] + f(x[i - 1]));
        x[256] = 0;
        fTable = new double[257];
        for (int i = 0; i < 257; i++) fTable[i] = f(x[i]);
        return x;
    }
}
