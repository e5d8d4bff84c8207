using System.Text.Json;
using MLNeuro.Transforms;

namespace MLNeuro.Estimators;

/// <summary>One session of a Wiener filter: its features, the ridge strength chosen per channel and its validation error.</summary>
/// <param name="Featurizer">The session's feature map.</param>
/// <param name="Ridge">Chosen L2 strength per channel.</param>
/// <param name="ValidationMse">Validation MSE (normalised units) of the chosen strength per channel; NaN without validation.</param>
/// <param name="ModelEntries">Artifact entry holding each channel's ML.NET model.</param>
internal sealed record WienerSessionState(SessionFeaturizer Featurizer, double[] Ridge, double[] ValidationMse, string[] ModelEntries);

/// <summary>What a Wiener-filter artifact's manifest stores as its options JSON (everything but the ML.NET models).</summary>
internal sealed record WienerFilterState(WienerFilterOptions Options, string[] Channels, ChannelNormalization Normalization, WienerSessionState[] Sessions)
{
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static WienerFilterState FromJson(string json) =>
        JsonSerializer.Deserialize<WienerFilterState>(json, Json) ?? throw new InvalidDataException("the manifest's options are empty");

    /// <summary>Entry name of session <paramref name="session"/>'s model of channel <paramref name="channel"/> (indices, so any session id is safe).</summary>
    public static string EntryName(int session, int channel) => $"wiener/session-{session}/channel-{channel}.zip";
}
