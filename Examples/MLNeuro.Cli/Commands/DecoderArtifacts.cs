using MLNeuro.Estimators;
using MLNeuro.Transforms;

namespace MLNeuro.Cli.Commands;

/// <summary>A decoder read from an artifact of any decoding kind, with the split it was trained with and its sessions.</summary>
internal sealed record LoadedDecoder(IBehaviorDecoder Decoder, DecodingSplitOptions Split, IReadOnlyList<string> Sessions) : IDisposable
{
    public void Dispose() => (Decoder as IDisposable)?.Dispose();
}

/// <summary>Opens decoder artifacts (POYO, Wiener filter, MLP) by their model kind.</summary>
internal static class DecoderArtifacts
{
    public static LoadedDecoder Load(ModelArtifact artifact, string path)
    {
        switch (artifact.Manifest.ModelKind)
        {
            case PoyoDecoder.ModelKind:
                var poyo = PoyoDecoder.FromArtifact(artifact);
                return new LoadedDecoder(poyo, poyo.Options.Split, poyo.SessionIds);
            case WienerFilterDecoder.ModelKind:
                var wiener = WienerFilterDecoder.FromArtifact(artifact);
                return new LoadedDecoder(wiener, wiener.Options.Split, wiener.Sessions);
            case MlpDecoder.ModelKind:
                var mlp = MlpDecoder.FromArtifact(artifact);
                return new LoadedDecoder(mlp, mlp.Options.Split, mlp.Sessions);
            default:
                throw new ArgumentException($"{path}: a '{artifact.Manifest.ModelKind}' model is not a behaviour decoder (poyo, wiener or mlp)");
        }
    }
}
