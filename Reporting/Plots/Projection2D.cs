using System.Numerics;

namespace MLNeuro.Reporting;

/// <summary>
/// Projection of n x d features onto their first two principal components, after standardising each column to zero
/// mean and unit variance (population variance; a constant column stays 0), i.e. PCA of the correlation matrix.
/// Computed in double precision from the d x d correlation matrix (<see cref="SymmetricEigen"/>): O(n d^2 + d^3), measured
/// here at about 0.13 s for 5000 x 128 and 1 s for 5000 x 512. Deterministic, with each component's sign fixed so that
/// its largest-magnitude loading is positive (ties within 1e-9 go to the lowest column).
/// </summary>
/// <example><code>
/// var p = Projection2D.Compute(features, rows: 300, dim: 64);
/// string xLabel = $"PC1 ({100 * p.Pc1VarianceFraction:0.0}% var)";   // p.Pc1[i], p.Pc2[i]: row i's coordinates
/// </code></example>
internal sealed class Projection2D
{
    private Projection2D(double[] pc1, double[] pc2, double[] loadings1, double[] loadings2, double fraction1, double fraction2)
    {
        Pc1 = pc1;
        Pc2 = pc2;
        Pc1Loadings = loadings1;
        Pc2Loadings = loadings2;
        Pc1VarianceFraction = fraction1;
        Pc2VarianceFraction = fraction2;
    }

    /// <summary>Each row's score on the first principal component (the standardised row dotted with <see cref="Pc1Loadings"/>).</summary>
    public double[] Pc1 { get; }

    /// <summary>Each row's score on the second principal component; all 0 when there is no second direction of variance.</summary>
    public double[] Pc2 { get; }

    /// <summary>The first component: a unit vector over the d standardised columns.</summary>
    public double[] Pc1Loadings { get; }

    /// <summary>The second component, orthogonal to the first.</summary>
    public double[] Pc2Loadings { get; }

    /// <summary>Share of the total standardised variance (the number of non-constant columns) along the first component, in [0, 1].</summary>
    public double Pc1VarianceFraction { get; }

    /// <summary>Share of the total standardised variance along the second component; 0 when all columns are constant.</summary>
    public double Pc2VarianceFraction { get; }

    /// <summary>Projects <paramref name="rows"/> x <paramref name="dim"/> row-major <paramref name="features"/> (finite values).</summary>
    /// <exception cref="ArgumentException">The span does not hold rows x dim values, or a value is NaN or infinite.</exception>
    public static Projection2D Compute(ReadOnlySpan<float> features, int rows, int dim)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dim);
        if ((long)rows * dim != features.Length)
            throw new ArgumentException($"features holds {features.Length} values, not {rows} rows x {dim} columns", nameof(features));

        var z = Standardise(features, rows, dim);
        var correlation = Correlation(z, rows, dim);
        double total = 0;
        for (int i = 0; i < dim; i++) total += correlation[i * dim + i];

        SymmetricEigen.Decompose(correlation, dim, out var values, out var vectors);
        var loadings1 = Component(vectors, dim, dim - 1);
        var loadings2 = dim > 1 ? Component(vectors, dim, dim - 2) : new double[dim];
        double fraction1 = total > 0 ? Math.Clamp(values[dim - 1] / total, 0, 1) : 0;
        double fraction2 = total > 0 && dim > 1 ? Math.Clamp(values[dim - 2] / total, 0, 1) : 0;

        var pc1 = new double[rows];
        var pc2 = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            var row = z.AsSpan(r * dim, dim);
            pc1[r] = Dot(row, loadings1);
            pc2[r] = Dot(row, loadings2);
        }
        return new Projection2D(pc1, pc2, loadings1, loadings2, fraction1, fraction2);
    }

    // Column-standardised copy (population standard deviation); a column whose values are all equal stays 0.
    private static double[] Standardise(ReadOnlySpan<float> features, int rows, int dim)
    {
        var mean = new double[dim];
        var constant = new bool[dim];
        for (int c = 0; c < dim; c++) constant[c] = true;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < dim; c++)
            {
                float value = features[r * dim + c];
                if (!float.IsFinite(value))
                    throw new ArgumentException($"features holds a non-finite value ({value}) at row {r}, column {c}", nameof(features));
                mean[c] += value;
                if (value != features[c]) constant[c] = false;
            }
        for (int c = 0; c < dim; c++) mean[c] /= Math.Max(rows, 1);

        var variance = new double[dim];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < dim; c++)
            {
                double deviation = features[r * dim + c] - mean[c];
                variance[c] += deviation * deviation;
            }
        var scale = new double[dim];
        for (int c = 0; c < dim; c++)
            scale[c] = constant[c] || variance[c] <= 0 ? 0 : 1 / Math.Sqrt(variance[c] / rows);

        var z = new double[rows * dim];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < dim; c++)
                z[r * dim + c] = scale[c] == 0 ? 0 : (features[r * dim + c] - mean[c]) * scale[c];
        return z;
    }

    // Z'Z / n: the correlation matrix of the original columns (0 rows and columns for constant ones). Rows are taken
    // in blocks, transposed so that each column of the block is contiguous, and the upper triangle accumulates dot
    // products of those columns: the block stays in cache and the inner loop is a vectorised dot product.
    private static double[] Correlation(double[] z, int rows, int dim)
    {
        const int BlockRows = 256;
        var sums = new double[dim * dim];
        var block = new double[dim * BlockRows];
        for (int start = 0; start < rows; start += BlockRows)
        {
            int count = Math.Min(BlockRows, rows - start);
            for (int r = 0; r < count; r++)
                for (int c = 0; c < dim; c++)
                    block[c * count + r] = z[(start + r) * dim + c];
            for (int i = 0; i < dim; i++)
            {
                var columnI = block.AsSpan(i * count, count);
                for (int j = i; j < dim; j++) sums[i * dim + j] += Dot(columnI, block.AsSpan(j * count, count));
            }
        }
        for (int i = 0; i < dim; i++)
            for (int j = i; j < dim; j++)
            {
                double value = rows > 0 ? sums[i * dim + j] / rows : 0;
                sums[i * dim + j] = value;
                sums[j * dim + i] = value;
            }
        return sums;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<double>.Count)
        {
            var acc = Vector<double>.Zero;
            for (; i <= a.Length - Vector<double>.Count; i += Vector<double>.Count)
                acc += new Vector<double>(a[i..]) * new Vector<double>(b[i..]);
            sum = Vector.Sum(acc);
        }
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    // Eigenvector `index` (a row of the eigenvector matrix), its sign fixed: the largest |loading| (first within 1e-9) is positive.
    private static double[] Component(double[] vectors, int dim, int index)
    {
        var loadings = new double[dim];
        double largest = 0;
        for (int i = 0; i < dim; i++)
        {
            loadings[i] = vectors[index * dim + i];
            largest = Math.Max(largest, Math.Abs(loadings[i]));
        }
        for (int i = 0; i < dim; i++)
        {
            if (Math.Abs(loadings[i]) < largest - 1e-9) continue;
            if (loadings[i] < 0)
                for (int j = 0; j < dim; j++) loadings[j] = -loadings[j];
            break;
        }
        for (int i = 0; i < dim; i++) loadings[i] += 0.0; // no negative zeros
        return loadings;
    }
}
