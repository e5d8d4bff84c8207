using System.Buffers.Binary;
using MLNeuro.Reporting;

namespace MLNeuro.Cli.Tests;

public sealed class ReportPlotsTests
{
    // ---- Projection2D -------------------------------------------------------------------------------------------

    [Fact]
    public void Points_on_a_line_have_all_variance_on_PC1()
    {
        // x = t * (1, -2, 0.5) + (3, 1, -1): every column is an affine function of t, so the standardised columns are
        // +-z(t) and the correlation matrix has rank 1.
        double[] t = [-2, -1, 0, 0.5, 1, 3];
        var features = t.SelectMany(v => new[] { (float)(3 + v), (float)(1 - 2 * v), (float)(-1 + 0.5 * v) }).ToArray();
        var p = Projection2D.Compute(features, t.Length, 3);

        Assert.Equal(1.0, p.Pc1VarianceFraction, 9);
        Assert.Equal(0.0, p.Pc2VarianceFraction, 9);
        // PC1 = (z1 - z2 + z3) / sqrt(3) with the signs of the direction; |loadings| are equal, so the first is positive.
        double s = 1 / Math.Sqrt(3);
        AssertClose([s, -s, s], p.Pc1Loadings, 1e-9);
        var z = Standardised(t);
        AssertClose(z.Select(v => v * Math.Sqrt(3)).ToArray(), p.Pc1, 1e-5);
        Assert.All(p.Pc2, v => Assert.Equal(0, v, 5));
    }

    [Fact]
    public void Two_columns_project_onto_the_sum_and_difference_of_the_standardised_columns()
    {
        // Two positively correlated columns: the correlation matrix [[1, r], [r, 1]] has eigenvectors (1, 1)/sqrt2
        // (eigenvalue 1 + r) and (1, -1)/sqrt2 (1 - r); ties in |loading| put the positive sign on the first column.
        double[] a = [1, 2, 3, 4, 5, 6, 7, 8];
        double[] b = [2, 1, 4, 3, 6, 8, 7, 9];
        var features = a.Zip(b).SelectMany(p => new[] { (float)p.First, (float)p.Second }).ToArray();
        var p = Projection2D.Compute(features, a.Length, 2);

        var za = Standardised(a);
        var zb = Standardised(b);
        double r = za.Zip(zb).Sum(q => q.First * q.Second) / a.Length;
        Assert.True(r > 0.5);
        Assert.Equal((1 + r) / 2, p.Pc1VarianceFraction, 9);
        Assert.Equal((1 - r) / 2, p.Pc2VarianceFraction, 9);
        AssertClose(za.Zip(zb).Select(q => (q.First + q.Second) / Math.Sqrt(2)).ToArray(), p.Pc1, 1e-6);
        AssertClose(za.Zip(zb).Select(q => (q.First - q.Second) / Math.Sqrt(2)).ToArray(), p.Pc2, 1e-6);
    }

    [Fact]
    public void Constant_columns_stay_zero_and_scale_does_not_matter()
    {
        var random = new Random(3);
        int rows = 50;
        var baseData = new float[rows * 3];
        var scaled = new float[rows * 4];
        for (int r = 0; r < rows; r++)
        {
            float u = (float)random.NextDouble(), v = (float)random.NextDouble(), w = (float)random.NextDouble();
            baseData[r * 3] = u; baseData[r * 3 + 1] = u + v; baseData[r * 3 + 2] = w;
            // Same data with columns rescaled and shifted, plus a constant column in second place.
            scaled[r * 4] = 1000 * u - 5; scaled[r * 4 + 1] = 0.1f; scaled[r * 4 + 2] = 0.01f * (u + v); scaled[r * 4 + 3] = w + 7;
        }
        var p = Projection2D.Compute(baseData, rows, 3);
        var q = Projection2D.Compute(scaled, rows, 4);

        Assert.Equal(0.0, q.Pc1Loadings[1]);
        Assert.Equal(0.0, q.Pc2Loadings[1]);
        Assert.Equal(p.Pc1VarianceFraction, q.Pc1VarianceFraction, 4);
        Assert.Equal(p.Pc2VarianceFraction, q.Pc2VarianceFraction, 4);
        AssertClose(p.Pc1, q.Pc1, 1e-3);
        AssertClose(p.Pc2, q.Pc2, 1e-3);
        Assert.True(p.Pc1VarianceFraction >= p.Pc2VarianceFraction);
        Assert.Equal(1.0, Norm(p.Pc1Loadings), 12);
        Assert.Equal(0.0, p.Pc1Loadings.Zip(p.Pc2Loadings).Sum(l => l.First * l.Second), 12);
    }

    [Fact]
    public void Projection_is_deterministic_and_signs_are_fixed()
    {
        var features = RandomFeatures(rows: 200, dim: 40, seed: 5, out _);
        var first = Projection2D.Compute(features, 200, 40);
        var second = Projection2D.Compute(features, 200, 40);
        Assert.Equal(first.Pc1, second.Pc1);
        Assert.Equal(first.Pc2, second.Pc2);
        Assert.Equal(first.Pc1VarianceFraction, second.Pc1VarianceFraction);

        // Negating every column leaves the correlation matrix, hence the loadings, as they were, and negates the scores.
        var negated = features.Select(v => -v).ToArray();
        var flipped = Projection2D.Compute(negated, 200, 40);
        AssertClose(first.Pc1Loadings, flipped.Pc1Loadings, 1e-9);
        AssertClose(first.Pc2Loadings, flipped.Pc2Loadings, 1e-9);
        AssertClose(first.Pc1.Select(v => -v).ToArray(), flipped.Pc1, 1e-9);
        foreach (var loadings in new[] { first.Pc1Loadings, first.Pc2Loadings })
            Assert.True(loadings[Array.IndexOf(loadings, loadings.MaxBy(Math.Abs))] > 0);
    }

    [Fact]
    public void Eigen_solver_reproduces_the_matrix()
    {
        var random = new Random(9);
        int n = 60;
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
                a[i * n + j] = a[j * n + i] = random.NextDouble() - 0.5;
        SymmetricEigen.Decompose(a, n, out var values, out var vectors);
        for (int i = 1; i < n; i++) Assert.True(values[i - 1] <= values[i]);
        for (int col = 0; col < n; col++)
        {
            Assert.Equal(1.0, Norm(vectors.AsSpan(col * n, n).ToArray()), 12);
            for (int i = 0; i < n; i++)
            {
                double av = 0;
                for (int j = 0; j < n; j++) av += a[i * n + j] * vectors[col * n + j];
                Assert.Equal(values[col] * vectors[col * n + i], av, 10);
            }
        }
    }

    [Fact]
    public void Projection_rejects_bad_shapes_and_values()
    {
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => Projection2D.Compute(new float[5], 2, 3)).ParamName);
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => Projection2D.Compute([1, float.NaN, 2, 3], 2, 2)).ParamName);
        var empty = Projection2D.Compute([], 0, 4);
        Assert.Empty(empty.Pc1);
        Assert.Equal(0, empty.Pc1VarianceFraction);
    }

    // ---- PNG writers --------------------------------------------------------------------------------------------

    [Fact]
    public void Embedding_scatter_writes_an_800_by_600_png()
    {
        using var tmp = new TempFolder();
        var features = RandomFeatures(rows: 150, dim: 16, seed: 1, out var labels);
        var path = tmp.Combine("plots", "embedding.png");
        ReportPlots.WriteEmbeddingScatter(path, features, 150, 16, labels, "embeddings by cell type");
        Assert.Equal((800, 600), PngSize(path));
        Assert.Equal(["embedding.png"], Directory.GetFiles(tmp.Combine("plots")).Select(Path.GetFileName));
    }

    [Fact]
    public void Confusion_matrix_writes_a_png_sized_by_class_count()
    {
        using var tmp = new TempFolder();
        var small = tmp.Combine("confusion3.png");
        var large = tmp.Combine("confusion12.png");
        ReportPlots.WriteConfusionMatrix(small, ["a", "b", "c"], new long[,] { { 8, 1, 1 }, { 0, 5, 5 }, { 0, 0, 0 } }, "cell type", 0.65);
        var classes = Enumerable.Range(0, 12).Select(i => $"region_{i}").ToArray();
        var counts = new long[12, 12];
        for (int i = 0; i < 12; i++) for (int j = 0; j < 12; j++) counts[i, j] = i == j ? 20 : (i + j) % 3;
        ReportPlots.WriteConfusionMatrix(large, classes, counts, "brain region");

        var (w3, h3) = PngSize(small);
        var (w12, h12) = PngSize(large);
        Assert.True(w12 > w3 && h12 > h3, $"{w3}x{h3} vs {w12}x{h12}");
        Assert.Equal(2, Directory.GetFiles(tmp.Path).Length);
    }

    [Fact]
    public void Curves_write_pngs_with_log_and_linear_x()
    {
        using var tmp = new TempFolder();
        double[] fractions = [0.01, 0.05, 0.125, 0.25, 0.5, 1];
        var efficiency = tmp.Combine("label-efficiency.png");
        ReportPlots.WriteCurves(efficiency, "cell type vs labelled fraction", "labelled units", "balanced accuracy",
            [
                new("NuCLR", fractions, [0.40, 0.52, 0.58, 0.62, 0.65, 0.67], [0.06, 0.04, 0.03, 0.02, 0.02, 0.01]),
                new("neuron features", fractions, [0.35, 0.45, 0.50, 0.52, 0.54, 0.55], null),
            ], chance: 0.25, logX: true);
        var scaling = tmp.Combine("scaling.png");
        ReportPlots.WriteCurves(scaling, "scaling with pretraining subjects", "subjects", "balanced accuracy",
            [new("NuCLR", [4, 1, 2, 3], [0.6, 0.5, 0.55, 0.58], [0.02, 0.05, 0.03, 0.02])], chance: null, logX: false);

        Assert.Equal((800, 600), PngSize(efficiency));
        Assert.Equal((800, 600), PngSize(scaling));
        Assert.Equal(2, Directory.GetFiles(tmp.Path).Length);
    }

    [Fact]
    public void Writers_overwrite_an_existing_file()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("curves.png");
        File.WriteAllText(path, "old");
        ReportPlots.WriteCurves(path, "t", "x", "y", [new("s", [1, 2], [1, 2])], 1.5, logX: false);
        Assert.Equal((800, 600), PngSize(path));
        Assert.Single(Directory.GetFiles(tmp.Path));
    }

    [Fact]
    public void Argument_errors_name_the_argument()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("x.png");
        var features = new float[6];
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() =>
            ReportPlots.WriteEmbeddingScatter(path, features, 3, 2, ["a", "b"], "t")).ParamName);
        Assert.Equal("features", Assert.Throws<ArgumentException>(() =>
            ReportPlots.WriteEmbeddingScatter(path, features, 2, 2, ["a", "b"], "t")).ParamName);

        Assert.Equal("counts", Assert.Throws<ArgumentException>(() =>
            ReportPlots.WriteConfusionMatrix(path, ["a", "b"], new long[2, 3], "t")).ParamName);
        Assert.Equal("counts", Assert.Throws<ArgumentException>(() =>
            ReportPlots.WriteConfusionMatrix(path, ["a", "b", "c"], new long[2, 2], "t")).ParamName);
        Assert.Equal("counts", Assert.Throws<ArgumentException>(() =>
            ReportPlots.WriteConfusionMatrix(path, ["a", "b"], new long[,] { { 1, -1 }, { 0, 1 } }, "t")).ParamName);
        Assert.Equal("classes", Assert.Throws<ArgumentException>(() =>
            ReportPlots.WriteConfusionMatrix(path, ["a", "a"], new long[2, 2], "t")).ParamName);

        Assert.Equal("series", Assert.Throws<ArgumentException>(() =>
            ReportPlots.WriteCurves(path, "t", "x", "y", [new("s", [1, 2, 3], [1, 2])], null, false)).ParamName);
        Assert.Equal("series", Assert.Throws<ArgumentException>(() =>
            ReportPlots.WriteCurves(path, "t", "x", "y", [new("s", [1, 2], [1, 2], [0.1])], null, false)).ParamName);
        Assert.Equal("series", Assert.Throws<ArgumentException>(() =>
            ReportPlots.WriteCurves(path, "t", "x", "y", [new("s", [0, 1], [1, 2])], null, logX: true)).ParamName);
        Assert.Equal("series", Assert.Throws<ArgumentException>(() =>
            ReportPlots.WriteCurves(path, "t", "x", "y", [], null, false)).ParamName);
        Assert.Equal("chance", Assert.Throws<ArgumentException>(() =>
            ReportPlots.WriteCurves(path, "t", "x", "y", [new("s", [1], [1])], double.NaN, false)).ParamName);

        Assert.Empty(Directory.GetFiles(tmp.Path));
    }


    // ---- decoded traces -----------------------------------------------------------------------------------------

    /// <summary>Two channels at 60 Hz over [100, 220) s with a 10 s gap in time at 130 s and a NaN dropout in x.</summary>
    private static MLNeuro.Estimators.DecodedTrace Trace()
    {
        var times = Enumerable.Range(0, 120 * 60).Select(i => 100 + i / 60.0).Where(t => t < 130 || t >= 140).ToArray();
        var truth = new float[times.Length * 2];
        var predicted = new float[times.Length * 2];
        var random = new Random(1);
        for (int i = 0; i < times.Length; i++)
        {
            double t = times[i];
            truth[2 * i] = t is >= 110 and < 112 ? float.NaN : (float)(300 + 100 * Math.Sin(t / 3));
            truth[2 * i + 1] = (float)(50 * Math.Cos(t / 2));
            predicted[2 * i] = (float)(300 + 100 * Math.Sin(t / 3) + 20 * (random.NextDouble() - 0.5));
            predicted[2 * i + 1] = (float)(50 * Math.Cos(t / 2) + 30 * (random.NextDouble() - 0.5));
        }
        return new("linear-track", new MLNeuro.Estimators.BehaviorTargets(times, truth, 2), predicted);
    }

    [Fact]
    public void Trace_plots_are_named_after_sessions_and_never_leave_their_folder()
    {
        using var tmp = new TempFolder();
        var folder = tmp.Combine("plots");
        var trace = Trace();
        var evaluation = new MLNeuro.Estimators.DecodingEvaluation(["x_px", "y_px"], new MLNeuro.Estimators.DecodingScore(null, [0.5, 0.5], 10), [],
            [trace with { SessionId = "../../escape" }, trace with { SessionId = "a/b" }, trace with { SessionId = "a_b" }]);
        var written = DecodingReportFiles.WriteTracePlots(folder, "poyo", evaluation);
        Assert.Equal(["_.._escape.png", "a_b.png", "a_b-2.png"], written.Select(Path.GetFileName));
        Assert.All(written, path => Assert.Equal(Path.GetFullPath(folder), Path.GetDirectoryName(Path.GetFullPath(path))));
        Assert.Equal(["plots"], Directory.GetFileSystemEntries(tmp.Path).Select(Path.GetFileName)); // nothing beside the folder
        // No session scores: the mean over sessions is undefined, written as null (JSON has no NaN; this used to throw).
        using var json = System.Text.Json.JsonDocument.Parse(DecodingReportFiles.ToJson("poyo", evaluation));
        Assert.Equal("poyo", json.RootElement.GetProperty("model").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.RootElement.GetProperty("meanSessionR2").ValueKind);
    }

    [Fact]
    public void Decoded_traces_write_one_panel_per_channel()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("traces.png");
        ReportPlots.WriteDecodedTraces(path, "POYO, linear-track", Trace(), ["x_px", "y_px"]);
        Assert.Equal((ReportPlots.TracesWidth, ReportPlots.TracesHeaderHeight + 2 * ReportPlots.TracesPanelHeight), PngSize(path));

        var one = new MLNeuro.Estimators.DecodedTrace("s", new MLNeuro.Estimators.BehaviorTargets([1, 2, 3], [1, 1, 1], 1), [1, 2, 0]);
        var single = tmp.Combine("single.png");
        ReportPlots.WriteDecodedTraces(single, "constant truth", one, ["speed"], maxSeconds: 1); // one sample shown, R² n/a
        Assert.Equal((ReportPlots.TracesWidth, ReportPlots.TracesHeaderHeight + ReportPlots.TracesPanelHeight), PngSize(single));
        Assert.Equal(2, Directory.GetFiles(tmp.Path).Length);
    }

    [Fact]
    public void Decoded_traces_reject_malformed_input_naming_the_argument()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("x.png");
        var trace = Trace();
        Assert.Equal("channels", Assert.Throws<ArgumentException>(() => ReportPlots.WriteDecodedTraces(path, "t", trace, ["x_px"])).ParamName);
        Assert.Equal("channels", Assert.Throws<ArgumentException>(() => ReportPlots.WriteDecodedTraces(path, "t", trace, [])).ParamName);
        Assert.Equal("maxSeconds", Assert.Throws<ArgumentException>(() => ReportPlots.WriteDecodedTraces(path, "t", trace, ["x", "y"], 0)).ParamName);
        Assert.Equal("maxSeconds", Assert.Throws<ArgumentException>(() => ReportPlots.WriteDecodedTraces(path, "t", trace, ["x", "y"], double.NaN)).ParamName);
        var shortPrediction = trace with { Predicted = trace.Predicted[..^2] };
        Assert.Equal("trace", Assert.Throws<ArgumentException>(() => ReportPlots.WriteDecodedTraces(path, "t", shortPrediction, ["x", "y"])).ParamName);
        var nanPrediction = trace with { Predicted = trace.Predicted.Select((v, i) => i == 5 ? float.NaN : v).ToArray() };
        var error = Assert.Throws<ArgumentException>(() => ReportPlots.WriteDecodedTraces(path, "t", nanPrediction, ["x", "y"]));
        Assert.Equal("trace", error.ParamName);
        Assert.Contains("linear-track", error.Message);
        var empty = new MLNeuro.Estimators.DecodedTrace("s", new MLNeuro.Estimators.BehaviorTargets([], [], 1), []);
        Assert.Equal("trace", Assert.Throws<ArgumentException>(() => ReportPlots.WriteDecodedTraces(path, "t", empty, ["x"])).ParamName);
        var unsorted = new MLNeuro.Estimators.DecodedTrace("s", new MLNeuro.Estimators.BehaviorTargets([2, 1], [1, 2], 1), [1, 2]);
        Assert.Equal("trace", Assert.Throws<ArgumentException>(() => ReportPlots.WriteDecodedTraces(path, "t", unsorted, ["x"])).ParamName);
        Assert.Empty(Directory.GetFiles(tmp.Path));
    }
    // ---- helpers ------------------------------------------------------------------------------------------------

    /// <summary>Width and height from the IHDR chunk, after checking the 8-byte PNG signature.</summary>
    private static (int Width, int Height) PngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 33, $"{path} holds {bytes.Length} bytes");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    /// <summary>Four clusters in <paramref name="dim"/> dimensions, labelled "type0".."type3", every 10th row unlabelled.</summary>
    private static float[] RandomFeatures(int rows, int dim, int seed, out string?[] labels)
    {
        var random = new Random(seed);
        var features = new float[rows * dim];
        labels = new string?[rows];
        for (int r = 0; r < rows; r++)
        {
            int c = r % 4;
            labels[r] = r % 10 == 9 ? null : $"type{c}";
            for (int j = 0; j < dim; j++)
                features[r * dim + j] = (float)((j % 4 == c ? 3 : 0) + j * 0.01 + random.NextDouble());
        }
        return features;
    }

    private static double[] Standardised(double[] x)
    {
        double mean = x.Average();
        double sd = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / x.Length);
        return x.Select(v => (v - mean) / sd).ToArray();
    }

    private static double Norm(double[] v) => Math.Sqrt(v.Sum(x => x * x));

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"[{i}]: expected {expected[i]}, got {actual[i]}");
    }
}
