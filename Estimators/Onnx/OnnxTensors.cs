using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using TorchSharp;

namespace MLNeuro.Estimators;

/// <summary>Converts weights into ONNX <see cref="TensorProto"/>s stored as raw little-endian bytes.</summary>
internal static class OnnxTensors
{
    /// <summary>A float32 tensor with the given dimensions.</summary>
    public static TensorProto FromFloats(string name, ReadOnlySpan<float> values, IReadOnlyList<long> dims) =>
        Create(name, OnnxElementType.Float, MemoryMarshal.AsBytes(values), sizeof(float), values.Length, dims);

    /// <summary>A float64 tensor with the given dimensions.</summary>
    public static TensorProto FromDoubles(string name, ReadOnlySpan<double> values, IReadOnlyList<long> dims) =>
        Create(name, OnnxElementType.Double, MemoryMarshal.AsBytes(values), sizeof(double), values.Length, dims);

    /// <summary>An int64 tensor with the given dimensions.</summary>
    public static TensorProto FromInt64s(string name, ReadOnlySpan<long> values, IReadOnlyList<long> dims) =>
        Create(name, OnnxElementType.Int64, MemoryMarshal.AsBytes(values), sizeof(long), values.Length, dims);

    /// <summary>
    /// A float32 tensor holding a TorchSharp tensor's values and shape. The tensor is detached, moved to the CPU,
    /// converted to float32 and made contiguous first, so views, parameters and other dtypes export correctly.
    /// </summary>
    public static TensorProto FromTorch(string name, torch.Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var scope = torch.NewDisposeScope();
        var dense = tensor.detach().cpu().to_type(torch.ScalarType.Float32).contiguous();
        return FromFloats(name, dense.data<float>().ToArray(), dense.shape);
    }

    private static TensorProto Create(string name, OnnxElementType type, ReadOnlySpan<byte> bytes, int elementSize, int count, IReadOnlyList<long> dims)
    {
        long expected = 1;
        foreach (var d in dims) expected *= d;
        if (expected != count)
            throw new ArgumentException($"Initializer '{name}' has {count} values but its shape [{string.Join(", ", dims)}] holds {expected}.");
        var proto = new TensorProto { Name = name, DataType = (int)type };
        proto.Dims.AddRange(dims);
        // ONNX raw_data is little-endian whatever the host; swap on the rare big-endian machine.
        if (BitConverter.IsLittleEndian)
        {
            proto.RawData = ByteString.CopyFrom(bytes);
        }
        else
        {
            var swapped = bytes.ToArray();
            for (int i = 0; i < swapped.Length; i += elementSize) Array.Reverse(swapped, i, elementSize);
            proto.RawData = ByteString.CopyFrom(swapped);
        }
        return proto;
    }
}
