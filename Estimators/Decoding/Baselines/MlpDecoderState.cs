using System.Text.Json;
using System.Text.Json.Serialization;
using MLNeuro.Transforms;

namespace MLNeuro.Estimators;

/// <summary>What an MLP-decoder artifact's manifest stores as its options JSON (everything but the weights).</summary>
/// <param name="Options">The settings.</param>
/// <param name="Channels">Decoded channels.</param>
/// <param name="Normalization">Target z-scoring.</param>
/// <param name="Sessions">Each session's feature map, in the order of the network's input layers.</param>
/// <param name="ChosenStep">The step whose weights were kept.</param>
/// <param name="ValidationMse">Their validation MSE in normalised units (NaN without validation).</param>
internal sealed record MlpDecoderState(MlpOptions Options, string[] Channels, ChannelNormalization Normalization, SessionFeaturizer[] Sessions,
    int ChosenStep, double ValidationMse)
{
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static MlpDecoderState FromJson(string json) =>
        JsonSerializer.Deserialize<MlpDecoderState>(json, Json) ?? throw new InvalidDataException("the manifest's options are empty");
}
