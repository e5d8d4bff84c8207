using System.Globalization;
using MLNeuro.Loaders;
using MLNeuro.Transforms;

namespace MLNeuro.Experiments;

/// <summary>
/// A diagnostic, not a method: does a unit's population context carry its brain region, and how much more than the
/// unit alone? For every unit it writes one feature table row: the autocorrelation (10 ms to 1.5 s) of either the unit's
/// own z-scored 10 ms counts (<c>--context self</c>) or of its <em>partner signal</em> (<c>--context partners</c>): the
/// other units of its session weighted by their positive correlation with it, which averages the co-fluctuating units'
/// noise away and leaves their shared rhythm and timescale. The correlation is of counts in <c>--correlation-ms</c>
/// bins, 500 ms by default: the published choice, picked on the validation data (seed 1) among 10, 20, 50, 200, 500 and
/// 1,000 ms (docs/results/nuclr.md); the first version of the diagnostic used 50 ms. Both tables have the same shape, so
/// <c>mlneuro probe</c> on each answers the question with the same probe. This is what NuCLR's population context
/// should let an encoder find; docs/results/nuclr.md uses the gap to say where the information is.
/// </summary>
/// <example><code>
/// dotnet run -c Release --project Examples/MLNeuro.Experiments -- region-context --data out/demo --context partners --out partners.parquet
/// mlneuro probe --table partners.parquet --label brain_region --group subject_id
/// </code></example>
internal static class RegionContextBound
{
    private const double BinSeconds = 0.010;
    private const int Lags = 150;

    public static int Run(string[] args)
    {
        var dataset = NeuralDataset.Open(ConsoleArgs.Option(args, "--data", "out/demo"));
        string context = ConsoleArgs.Option(args, "--context", "partners");
        if (context is not ("partners" or "self")) throw new ArgumentException("--context must be partners or self");
        string output = ConsoleArgs.Option(args, "--out", $"region-context-{context}.parquet");
        // Correlations and autocorrelations within windows of this length, averaged over the session's windows (0 = the
        // whole session as one window): how much time does finding the partners take?
        double windowSeconds = double.Parse(ConsoleArgs.Option(args, "--window-seconds", "0"), CultureInfo.InvariantCulture);
        // Bin width of the counts whose correlation picks the partners (a multiple of 10 ms); 500 ms was chosen on validation data.
        int correlationBins = Math.Max(1, (int)Math.Round(double.Parse(ConsoleArgs.Option(args, "--correlation-ms", "500"), CultureInfo.InvariantCulture) / 1000 / BinSeconds));

        var rows = new List<DatasetUnit>();
        var features = new List<float>();
        foreach (var session in dataset.Sessions)
        {
            var recording = dataset.ReadRecording(session.SessionId, RecordingParts.Spikes);
            var whole = ZScoredCounts(recording);
            int units = whole.Length, bins = whole[0].Length;
            int windowBins = windowSeconds > 0 ? (int)Math.Round(windowSeconds / BinSeconds) : bins;
            if (windowBins <= Lags || windowBins > bins) throw new ArgumentException($"--window-seconds must exceed {Lags * BinSeconds} s and fit in session '{session.SessionId}'");
            var mean = new double[units * Lags];
            int windows = bins / windowBins;
            var signal = new float[windowBins];
            for (int w = 0; w < windows; w++)
            {
                var z = whole.Select(row => row.AsSpan(w * windowBins, windowBins).ToArray()).ToArray();
                var correlation = context == "partners" ? Correlations(z, correlationBins) : null;
                for (int u = 0; u < units; u++)
                {
                    if (correlation is null) z[u].CopyTo(signal, 0);
                    else PartnerSignal(z, correlation[u], u, signal);
                    var acf = Autocorrelation(signal);
                    for (int l = 0; l < Lags; l++) mean[u * Lags + l] += acf[l] / windows;
                }
            }
            for (int u = 0; u < units; u++)
            {
                features.AddRange(mean.AsSpan(u * Lags, Lags).ToArray().Select(v => (float)v));
                rows.Add(new DatasetUnit(session.SessionId, session.SubjectId, u, recording.Units[u], 0));
            }
            Console.Error.WriteLine($"{session.SessionId}: {units} units");
        }
        var names = Enumerable.Range(1, Lags).Select(l => $"{context}_acf_{l * 10}ms").ToArray();
        FeatureTable.ForUnits(rows, features.ToArray(), names, $"region-context diagnostic ({context}) of {Path.GetFullPath(dataset.Path)}").Write(output);
        Console.WriteLine($"wrote {output}: {rows.Count} units x {names.Length} features");
        return 0;
    }

    /// Per unit, its counts in 10 ms bins over the session, z-scored (a silent unit stays all zero).
    private static float[][] ZScoredCounts(Recording recording)
    {
        int units = recording.Units.Count, bins = (int)Math.Floor(recording.DurationSeconds / BinSeconds);
        var grid = new float[units * bins];
        SpikeBinning.CountInto(recording.Spikes, recording.StartSeconds, BinSeconds, bins, grid);
        var z = new float[units][];
        for (int u = 0; u < units; u++)
        {
            var row = grid.AsSpan(u * bins, bins);
            double mean = 0, square = 0;
            foreach (var v in row) { mean += v; square += v * v; }
            mean /= bins;
            double sd = Math.Sqrt(Math.Max(square / bins - mean * mean, 0));
            z[u] = new float[bins];
            if (sd > 0) for (int b = 0; b < bins; b++) z[u][b] = (float)((row[b] - mean) / sd);
        }
        return z;
    }

    /// Pearson correlations of the units' counts in bins of <paramref name="binsPerBin"/> 10 ms bins.
    private static double[][] Correlations(float[][] z, int binsPerBin)
    {
        int units = z.Length, coarse = z[0].Length / binsPerBin;
        var sums = new double[units][];
        for (int u = 0; u < units; u++)
        {
            sums[u] = new double[coarse];
            for (int b = 0; b < coarse * binsPerBin; b++) sums[u][b / binsPerBin] += z[u][b];
            double mean = sums[u].Average(), sd = Math.Sqrt(sums[u].Sum(v => (v - mean) * (v - mean)) / coarse);
            for (int b = 0; b < coarse; b++) sums[u][b] = sd > 0 ? (sums[u][b] - mean) / sd : 0;
        }
        var r = new double[units][];
        for (int a = 0; a < units; a++)
        {
            r[a] = new double[units];
            for (int b = 0; b < units; b++)
            {
                double dot = 0;
                for (int k = 0; k < coarse; k++) dot += sums[a][k] * sums[b][k];
                r[a][b] = dot / coarse;
            }
        }
        return r;
    }

    /// The other units' z-scored counts weighted by their positive correlation with the unit (the unit itself left out).
    private static void PartnerSignal(float[][] z, double[] correlation, int self, float[] signal)
    {
        Array.Clear(signal);
        double total = 0;
        for (int j = 0; j < z.Length; j++)
        {
            if (j == self || correlation[j] <= 0) continue;
            float w = (float)correlation[j];
            total += w;
            for (int b = 0; b < signal.Length; b++) signal[b] += w * z[j][b];
        }
        if (total > 0) for (int b = 0; b < signal.Length; b++) signal[b] /= (float)total;
    }

    /// Autocorrelation coefficients at lags 1..Lags bins (0 for a flat signal).
    private static float[] Autocorrelation(float[] x)
    {
        double mean = x.Average();
        double variance = 0;
        foreach (var v in x) variance += (v - mean) * (v - mean);
        var acf = new float[Lags];
        if (variance == 0) return acf;
        for (int lag = 1; lag <= Lags; lag++)
        {
            double sum = 0;
            for (int t = lag; t < x.Length; t++) sum += (x[t] - mean) * (x[t - lag] - mean);
            acf[lag - 1] = (float)(sum / variance);
        }
        return acf;
    }
}
