using System.Reflection;

namespace MLNeuro.Estimators;

/// <summary>Where a trained model came from, recorded in its artifact's manifest.</summary>
/// <param name="MLNeuroVersion">Version of the MLNeuro library that trained it.</param>
/// <param name="DatasetPath">Dataset the model was trained on, if known.</param>
/// <param name="DatasetHash">Content hash of that dataset, if computed.</param>
/// <param name="Seed">Training seed, if any.</param>
/// <param name="CreatedUtc">When the artifact was created (UTC).</param>
/// <example><code>
/// var provenance = ModelProvenance.Now(datasetPath: "data/steinmetz", seed: 7);
/// </code></example>
public sealed record ModelProvenance(string MLNeuroVersion, string? DatasetPath, string? DatasetHash, long? Seed, DateTime CreatedUtc)
{
    /// <summary>Provenance stamped with this library's version and the current UTC time.</summary>
    /// <param name="datasetPath">Dataset the model was trained on, if known.</param>
    /// <param name="datasetHash">Content hash of that dataset, if computed.</param>
    /// <param name="seed">Training seed, if any.</param>
    public static ModelProvenance Now(string? datasetPath = null, string? datasetHash = null, long? seed = null) =>
        new(LibraryVersion, datasetPath, datasetHash, seed, DateTime.UtcNow);

    /// <summary>This MLNeuro build's informational version.</summary>
    public static string LibraryVersion { get; } =
        typeof(ModelProvenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ModelProvenance).Assembly.GetName().Version?.ToString() ?? "unknown";
}
