namespace MLNeuro.Reporting;

/// <summary>
/// All eigenvalues and eigenvectors of a small dense symmetric matrix: Householder reduction to tridiagonal form, then
/// the implicit QL algorithm (EISPACK tred2/tql2, as in JAMA). O(n^3) time, deterministic, no iteration tolerance to
/// tune. The working matrix is indexed column-major (the input is symmetric, so that is the same matrix), which makes
/// every O(n^3) loop walk contiguous memory.
/// </summary>
/// <example><code>
/// SymmetricEigen.Decompose(new double[] { 2, 1, 1, 2 }, 2, out var values, out var vectors);
/// // values = [1, 3]; the eigenvector of 3 is row 1 of vectors: (vectors[2], vectors[3]) = ±(0.707, 0.707)
/// </code></example>
internal static class SymmetricEigen
{
    /// <summary>
    /// Decomposes the symmetric <paramref name="n"/> x <paramref name="n"/> <paramref name="matrix"/> (only read).
    /// <paramref name="values"/> come out ascending; <paramref name="vectors"/> holds the unit eigenvector of
    /// <c>values[j]</c> in row j: component i is <c>vectors[j * n + i]</c>.
    /// </summary>
    public static void Decompose(ReadOnlySpan<double> matrix, int n, out double[] values, out double[] vectors)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (matrix.Length != n * n)
            throw new ArgumentException($"matrix holds {matrix.Length} values, not {n} x {n}", nameof(matrix));
        var v = matrix.ToArray();
        var d = new double[n];
        var e = new double[n];
        if (n > 0)
        {
            Tridiagonalize(v, d, e, n);
            DiagonalizeTridiagonal(v, d, e, n);
            SortAscending(v, d, n);
        }
        values = d;
        vectors = v;
    }

    // Householder reduction of v to tridiagonal form (d = diagonal, e = sub-diagonal); v becomes the orthogonal transform.
    // Element (row r, column c) of JAMA's V is v[c * n + r] here.
    private static void Tridiagonalize(double[] v, double[] d, double[] e, int n)
    {
        for (int j = 0; j < n; j++) d[j] = v[j * n + (n - 1)];
        for (int i = n - 1; i > 0; i--)
        {
            double scale = 0, h = 0;
            for (int k = 0; k < i; k++) scale += Math.Abs(d[k]);
            if (scale == 0)
            {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++)
                {
                    d[j] = v[j * n + (i - 1)];
                    v[j * n + i] = 0;
                    v[i * n + j] = 0;
                }
            }
            else
            {
                for (int k = 0; k < i; k++) { d[k] /= scale; h += d[k] * d[k]; }
                double f = d[i - 1];
                double g = Math.Sqrt(h);
                if (f > 0) g = -g;
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                for (int j = 0; j < i; j++) e[j] = 0;
                for (int j = 0; j < i; j++)
                {
                    f = d[j];
                    v[i * n + j] = f;
                    g = e[j] + v[j * n + j] * f;
                    for (int k = j + 1; k <= i - 1; k++)
                    {
                        g += v[j * n + k] * d[k];
                        e[k] += v[j * n + k] * f;
                    }
                    e[j] = g;
                }
                f = 0;
                for (int j = 0; j < i; j++) { e[j] /= h; f += e[j] * d[j]; }
                double hh = f / (h + h);
                for (int j = 0; j < i; j++) e[j] -= hh * d[j];
                for (int j = 0; j < i; j++)
                {
                    f = d[j];
                    g = e[j];
                    for (int k = j; k <= i - 1; k++) v[j * n + k] -= f * e[k] + g * d[k];
                    d[j] = v[j * n + (i - 1)];
                    v[j * n + i] = 0;
                }
            }
            d[i] = h;
        }
        // Accumulate the transformations.
        for (int i = 0; i < n - 1; i++)
        {
            v[i * n + (n - 1)] = v[i * n + i];
            v[i * n + i] = 1;
            double h = d[i + 1];
            if (h != 0)
            {
                for (int k = 0; k <= i; k++) d[k] = v[(i + 1) * n + k] / h;
                for (int j = 0; j <= i; j++)
                {
                    double g = 0;
                    for (int k = 0; k <= i; k++) g += v[(i + 1) * n + k] * v[j * n + k];
                    for (int k = 0; k <= i; k++) v[j * n + k] -= g * d[k];
                }
            }
            for (int k = 0; k <= i; k++) v[(i + 1) * n + k] = 0;
        }
        for (int j = 0; j < n; j++)
        {
            d[j] = v[j * n + (n - 1)];
            v[j * n + (n - 1)] = 0;
        }
        v[(n - 1) * n + (n - 1)] = 1;
        e[0] = 0;
    }

    // Implicit QL iterations on the tridiagonal (d, e), accumulating the rotations into v.
    private static void DiagonalizeTridiagonal(double[] v, double[] d, double[] e, int n)
    {
        const int MaxIterationsPerValue = 64;
        for (int i = 1; i < n; i++) e[i - 1] = e[i];
        e[n - 1] = 0;
        double f = 0, tst1 = 0;
        double eps = Math.Pow(2, -52);
        for (int l = 0; l < n; l++)
        {
            tst1 = Math.Max(tst1, Math.Abs(d[l]) + Math.Abs(e[l]));
            int m = l;
            while (m < n - 1 && Math.Abs(e[m]) > eps * tst1) m++;
            if (m > l)
            {
                int iterations = 0;
                do
                {
                    if (++iterations > MaxIterationsPerValue)
                        throw new InvalidOperationException("the QL eigenvalue iteration did not converge (non-finite matrix?)");
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2 * e[l]);
                    double r = Hypot(p, 1);
                    if (p < 0) r = -r;
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) d[i] -= h;
                    f += h;

                    p = d[m];
                    double c = 1, c2 = c, c3 = c;
                    double el1 = e[l + 1];
                    double s = 0, s2 = 0;
                    for (int i = m - 1; i >= l; i--)
                    {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        for (int k = 0; k < n; k++)
                        {
                            h = v[(i + 1) * n + k];
                            v[(i + 1) * n + k] = s * v[i * n + k] + c * h;
                            v[i * n + k] = c * v[i * n + k] - s * h;
                        }
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                }
                while (Math.Abs(e[l]) > eps * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }
    }

    private static void SortAscending(double[] v, double[] d, int n)
    {
        for (int i = 0; i < n - 1; i++)
        {
            int k = i;
            for (int j = i + 1; j < n; j++)
                if (d[j] < d[k]) k = j;
            if (k == i) continue;
            (d[i], d[k]) = (d[k], d[i]);
            for (int j = 0; j < n; j++) (v[i * n + j], v[k * n + j]) = (v[k * n + j], v[i * n + j]);
        }
    }

    private static double Hypot(double a, double b)
    {
        double x = Math.Abs(a), y = Math.Abs(b);
        if (x < y) (x, y) = (y, x);
        if (x == 0) return 0;
        double t = y / x;
        return x * Math.Sqrt(1 + t * t);
    }
}
