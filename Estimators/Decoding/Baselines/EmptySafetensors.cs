namespace MLNeuro.Estimators;

/// <summary>
/// A valid safetensors file with no tensors, for artifacts of models without TorchSharp weights: the little-endian
/// 8-byte header length (2) followed by the JSON header <c>{}</c>.
/// </summary>
internal static class EmptySafetensors
{
    public static byte[] Bytes => [2, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}'];
}
