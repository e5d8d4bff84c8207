namespace MLNeuro.Estimators.Tests;

/// <summary>
/// The objectives written again as plain double loops, independently of the torch code, so the tests compare the
/// torch implementation against numbers computed a second way. Arrays are z[b][v][i][k] and mask[b][i].
/// </summary>
internal static class ObjectiveReference
{
    public static double Dcl(double[][][][] z, bool[][] mask, double tau)
    {
        int batch = z.Length, views = z[0].Length, units = z[0][0].Length;
        double total = 0;
        long terms = 0;
        for (int v = 0; v < views; v++)
            for (int w = 0; w < views; w++)
            {
                if (v == w) continue;
                for (int b = 0; b < batch; b++)
                    for (int i = 0; i < units; i++)
                    {
                        if (!mask[b][i]) continue;
                        var anchor = Unit(z[b][v][i]);
                        var logits = new List<double>();
                        for (int j = 0; j < units; j++)
                        {
                            if (j == i || !mask[b][j]) continue;
                            logits.Add(Dot(anchor, Unit(z[b][w][j])) / tau);
                            logits.Add(Dot(anchor, Unit(z[b][v][j])) / tau);
                        }
                        if (logits.Count == 0) continue;
                        var max = logits.Max();
                        var lse = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
                        total += lse - Dot(anchor, Unit(z[b][w][i])) / tau;
                        terms++;
                    }
            }
        return total / terms;
    }

    /// <summary>
    /// NuCLR's reference DCL (sw_contrastive.py, full_denom) with one mask per view, viewMask[b][v][i]: anchors present in
    /// both views, negatives every other unit present in the other view (cos / tau) or its own (cos, undivided), the
    /// constants 1/tau and -log(n_w + n_v), mean over each ordered pair's anchors, then over the pairs.
    /// </summary>
    public static double ReferenceDcl(double[][][][] z, bool[][][] viewMask, double tau)
    {
        int batch = z.Length, views = z[0].Length, units = z[0][0].Length;
        double total = 0;
        for (int v = 0; v < views; v++)
            for (int w = 0; w < views; w++)
            {
                if (v == w) continue;
                double pairSum = 0;
                int anchors = 0;
                for (int b = 0; b < batch; b++)
                {
                    int present = Enumerable.Range(0, units).Count(j => viewMask[b][v][j]) + Enumerable.Range(0, units).Count(j => viewMask[b][w][j]);
                    for (int i = 0; i < units; i++)
                    {
                        if (!viewMask[b][v][i] || !viewMask[b][w][i]) continue;
                        var anchor = Unit(z[b][v][i]);
                        var logits = new List<double>();
                        for (int j = 0; j < units; j++)
                        {
                            if (j == i) continue;
                            if (viewMask[b][w][j]) logits.Add(Dot(anchor, Unit(z[b][w][j])) / tau);
                            if (viewMask[b][v][j]) logits.Add(Dot(anchor, Unit(z[b][v][j])));
                        }
                        if (logits.Count == 0) continue;
                        var max = logits.Max();
                        var lse = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
                        pairSum += 1 / tau - Dot(anchor, Unit(z[b][w][i])) / tau + lse - Math.Log(present);
                        anchors++;
                    }
                }
                total += anchors == 0 ? 0 : pairSum / anchors;
            }
        return total / (views * (views - 1));
    }

    public static double Vicreg(double[][][][] z, bool[][] mask, double inv, double var, double cov, double gamma, double eps)
    {
        var x = Pool(z, mask);
        int views = x.Length, n = x[0].Length, d = x[0][0].Length;
        var varianceTerm = new double[views];
        var covarianceTerm = new double[views];
        for (int v = 0; v < views; v++)
        {
            var c = Covariance(x[v], unbiased: true);
            for (int k = 0; k < d; k++)
            {
                varianceTerm[v] += Math.Max(0, gamma - Math.Sqrt(c[k, k] + eps)) / d;
                for (int l = 0; l < d; l++)
                    if (k != l) covarianceTerm[v] += c[k, l] * c[k, l] / d;
            }
        }
        double total = 0;
        int pairs = 0;
        for (int v = 0; v < views; v++)
            for (int w = v + 1; w < views; w++)
            {
                double mse = 0;
                for (int r = 0; r < n; r++)
                    for (int k = 0; k < d; k++)
                        mse += Math.Pow(x[v][r][k] - x[w][r][k], 2) / (n * d);
                total += inv * mse + var * (varianceTerm[v] + varianceTerm[w]) / 2 + cov * (covarianceTerm[v] + covarianceTerm[w]);
                pairs++;
            }
        return total / pairs;
    }

    public static double Barlow(double[][][][] z, bool[][] mask, double lambda)
    {
        var x = Pool(z, mask);
        int views = x.Length, n = x[0].Length, d = x[0][0].Length;
        var s = new double[views][][];
        for (int v = 0; v < views; v++)
        {
            s[v] = new double[n][];
            for (int r = 0; r < n; r++) s[v][r] = new double[d];
            for (int k = 0; k < d; k++)
            {
                double mean = 0, sq = 0;
                for (int r = 0; r < n; r++) mean += x[v][r][k] / n;
                for (int r = 0; r < n; r++) sq += Math.Pow(x[v][r][k] - mean, 2) / n;
                for (int r = 0; r < n; r++) s[v][r][k] = (x[v][r][k] - mean) / Math.Sqrt(sq + 1e-5);
            }
        }
        double total = 0;
        int pairs = 0;
        for (int v = 0; v < views; v++)
            for (int w = v + 1; w < views; w++)
            {
                for (int k = 0; k < d; k++)
                    for (int l = 0; l < d; l++)
                    {
                        double c = 0;
                        for (int r = 0; r < n; r++) c += s[v][r][k] * s[w][r][l] / n;
                        total += k == l ? (1 - c) * (1 - c) : lambda * c * c;
                    }
                pairs++;
            }
        return total / pairs;
    }

    /// <summary>x[v][r][k]: the real units of all samples, in sample-then-unit order, per view.</summary>
    private static double[][][] Pool(double[][][][] z, bool[][] mask)
    {
        int views = z[0].Length;
        var x = new double[views][][];
        for (int v = 0; v < views; v++)
        {
            var rows = new List<double[]>();
            for (int b = 0; b < z.Length; b++)
                for (int i = 0; i < z[b][v].Length; i++)
                    if (mask[b][i]) rows.Add(z[b][v][i]);
            x[v] = rows.ToArray();
        }
        return x;
    }

    private static double[,] Covariance(double[][] x, bool unbiased)
    {
        int n = x.Length, d = x[0].Length;
        var mean = new double[d];
        foreach (var row in x)
            for (int k = 0; k < d; k++) mean[k] += row[k] / n;
        var c = new double[d, d];
        foreach (var row in x)
            for (int k = 0; k < d; k++)
                for (int l = 0; l < d; l++)
                    c[k, l] += (row[k] - mean[k]) * (row[l] - mean[l]) / (unbiased ? n - 1 : n);
        return c;
    }

    private static double[] Unit(double[] a)
    {
        var norm = Math.Sqrt(Dot(a, a));
        return a.Select(x => x / norm).ToArray();
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int k = 0; k < a.Length; k++) s += a[k] * b[k];
        return s;
    }
}
