using System.Text.Json;

namespace MLNeuro.Estimators;

/// <summary>
/// Everything a NuCLR model artifact needs to be rebuilt and used: the encoder's shape, how windows were sampled,
/// the objective and the projector. Stored as the artifact manifest's options JSON with model kind
/// <see cref="ModelKind"/>; the weights are the encoder's (state-dict names as <c>NuclrEncoder</c>'s), the projector's
/// under the <c>projector.</c> prefix.
/// </summary>
/// <example><code>
/// var options = NuclrModelOptions.FromArtifact(ModelArtifact.Read("nuclr.zip"));
/// </code></example>
public sealed record NuclrModelOptions
{
    /// <summary>The manifest's model kind for NuCLR artifacts.</summary>
    public const string ModelKind = "nuclr";

    /// <summary>Encoder architecture.</summary>
    public NuclrEncoderOptions Encoder { get; init; } = new();

    /// <summary>How training windows and views were sampled (evaluation windows use the same window shape).</summary>
    public NuclrSamplingOptions Sampling { get; init; } = new();

    /// <summary>Self-supervised objective.</summary>
    public ObjectiveOptions Objective { get; init; } = new();

    /// <summary>
    /// Output size of the projector head the objective sees (the embedding itself is Encoder.Dim); its hidden layer is
    /// max(Encoder.Dim, ProjectorDim) wide. Default 256, so at the paper's width the projector is 256 -> 256 -> 256 as
    /// in the reference (MLNeuro's earlier CLI used min(128, Dim)).
    /// </summary>
    public int ProjectorDim { get; init; } = 256;

    /// <summary>The options as the JSON the manifest stores.</summary>
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>
    /// Reads the options of a NuCLR artifact; throws <see cref="InvalidDataException"/> for another model kind. Options
    /// written before the reference behaviours existed read back as what those artifacts were trained with
    /// (<see cref="NuclrLegacyOptions"/>), not as today's defaults.
    /// </summary>
    public static NuclrModelOptions FromArtifact(ModelArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        artifact.RequireKind(ModelKind);
        return FromJson(artifact.Manifest.OptionsJson) ?? throw new InvalidDataException($"{artifact.Describe()}: the manifest's options are empty");
    }

    /// <summary>Parses <see cref="ToJson"/>'s output, filling settings that older JSON lacks with their earlier values.</summary>
    internal static NuclrModelOptions? FromJson(string json)
    {
        var options = JsonSerializer.Deserialize<NuclrModelOptions>(json);
        return options is null ? null : NuclrLegacyOptions.FillMissing(options, json);
    }
}
