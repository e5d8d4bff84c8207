namespace MLNeuro.Reporting;

/// <summary>
/// One named curve for <see cref="ReportPlots.WriteCurves"/>: points (<paramref name="X"/>[i], <paramref name="Y"/>[i]),
/// optionally with a symmetric error <paramref name="YError"/>[i] (e.g. the standard deviation over folds) drawn as an
/// error bar. Points are drawn in ascending x whatever their order here.
/// </summary>
/// <example><code>
/// var nuclr = new CurveSeries("NuCLR", [0.01, 0.1, 1], [0.41, 0.58, 0.66], [0.05, 0.03, 0.02]);
/// </code></example>
internal sealed record CurveSeries(string Name, double[] X, double[] Y, double[]? YError = null);
