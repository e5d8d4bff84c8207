using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MLNeuro.Estimators;

/// <summary>
/// The <c>manifest.json</c> of a <see cref="ModelArtifact"/>: format version, model kind, the model's options as JSON
/// and provenance.
/// </summary>
/// <param name="ModelKind">Which model the weights belong to, e.g. "nuclr".</param>
/// <param name="OptionsJson">The model's options as a JSON object; stored inline in the manifest.</param>
/// <param name="Provenance">Where the model came from.</param>
/// <example><code>
/// var manifest = new ModelManifest("nuclr", JsonSerializer.Serialize(options), ModelProvenance.Now(seed: 7));
/// </code></example>
public sealed record ModelManifest(string ModelKind, string OptionsJson, ModelProvenance Provenance)
{
    /// <summary>The artifact format version this library writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Format version of the artifact (always <see cref="CurrentFormatVersion"/> once read).</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    internal string ToJson()
    {
        var options = JsonNode.Parse(OptionsJson) as JsonObject
            ?? throw new ArgumentException("options must be a JSON object", nameof(OptionsJson));
        var root = new JsonObject
        {
            ["formatVersion"] = FormatVersion,
            ["modelKind"] = ModelKind,
            ["options"] = options,
            ["provenance"] = new JsonObject
            {
                ["mlneuroVersion"] = Provenance.MLNeuroVersion,
                ["datasetPath"] = Provenance.DatasetPath,
                ["datasetHash"] = Provenance.DatasetHash,
                ["seed"] = Provenance.Seed,
                ["createdUtc"] = Provenance.CreatedUtc.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// Parses manifest text; <paramref name="source"/> names the artifact in every error.
    internal static ModelManifest FromJson(string json, string source)
    {
        try
        {
            var root = JsonNode.Parse(json)?.AsObject() ?? throw new InvalidDataException("empty manifest");
            int version = root["formatVersion"]?.GetValue<int>() ?? throw new InvalidDataException("no formatVersion");
            if (version != CurrentFormatVersion)
                throw new InvalidDataException(
                    $"{source}: manifest.json has format version {version}; this MLNeuro reads version {CurrentFormatVersion}.");
            var provenance = root["provenance"]?.AsObject() ?? throw new InvalidDataException("no provenance");
            return new ModelManifest(
                root["modelKind"]?.GetValue<string>() ?? throw new InvalidDataException("no modelKind"),
                root["options"]?.ToJsonString() ?? "{}",
                new ModelProvenance(
                    provenance["mlneuroVersion"]?.GetValue<string>() ?? "unknown",
                    provenance["datasetPath"]?.GetValue<string>(),
                    provenance["datasetHash"]?.GetValue<string>(),
                    provenance["seed"]?.GetValue<long>(),
                    DateTime.Parse(provenance["createdUtc"]?.GetValue<string>() ?? throw new InvalidDataException("no createdUtc"),
                        CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)))
            { FormatVersion = version };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException
                                  || (e is InvalidDataException && !e.Message.StartsWith(source, StringComparison.Ordinal)))
        {
            throw new InvalidDataException($"{source}: manifest.json is invalid ({e.Message}).", e);
        }
    }
}
