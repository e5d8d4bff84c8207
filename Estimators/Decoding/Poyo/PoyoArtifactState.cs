using System.Text.Json;

namespace MLNeuro.Estimators;

/// <summary>
/// The manifest options of a POYO artifact: the decoding options, the unit and session vocabularies (row order of the
/// embeddings) and the channel normalisation the readout was trained against.
/// </summary>
internal sealed record PoyoArtifactState(PoyoDecodingOptions Options, string[] Units, string[] Sessions, double[] Mean, double[] Std)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    public static PoyoArtifactState FromArtifact(ModelArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        artifact.RequireKind(PoyoDecoder.ModelKind);
        return JsonSerializer.Deserialize<PoyoArtifactState>(artifact.Manifest.OptionsJson)
            ?? throw new InvalidDataException($"{artifact.Describe()}: the manifest's options are empty");
    }
}
