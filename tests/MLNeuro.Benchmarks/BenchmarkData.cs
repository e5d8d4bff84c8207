using MLNeuro.Loaders;
using MLNeuro.Loaders.Synthetic;

namespace MLNeuro.Benchmarks;

/// <summary>
/// The synthetic dataset the I/O benchmarks read: generated once with a fixed seed into
/// <c>artifacts/bench-data/</c> and reused by later runs (delete the folder to regenerate).
/// </summary>
internal static class BenchmarkData
{
    public const long MinimumSpikes = 50_000_000;

    public static readonly SyntheticOptions Options = new()
    {
        Subjects = 4,
        SessionsPerSubject = 2,
        UnitsPerSession = 400,
        DurationSeconds = 2700,
        Seed = 2026,
    };

    public static string Folder { get; } = Path.Combine(RepositoryRoot(), "artifacts", "bench-data", "synthetic-50M");

    public static NeuralDataset OpenOrCreate()
    {
        if (!File.Exists(Path.Combine(Folder, "dataset.json")))
        {
            Console.WriteLine($"// generating the benchmark dataset in {Folder} (once)");
            SyntheticDataset.Write(Options, Folder, new DatasetWriterOptions { Overwrite = true });
        }
        var dataset = NeuralDataset.Open(Folder);
        if (dataset.SpikeCount < MinimumSpikes)
            throw new InvalidOperationException($"benchmark dataset has {dataset.SpikeCount:N0} spikes, fewer than {MinimumSpikes:N0}; raise DurationSeconds in BenchmarkData.Options and delete {Folder}");
        return dataset;
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MLNeuro.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
