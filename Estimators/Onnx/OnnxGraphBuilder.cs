using Google.Protobuf;
using Onnx;
using TorchSharp;

namespace MLNeuro.Estimators;

/// <summary>
/// A small fluent builder over OnnxSharp's protobuf classes, used to write trained TorchSharp networks as ONNX graphs
/// (TorchSharp has no ONNX export). Values are referred to by name: every node helper returns the name of its
/// output, so a forward pass reads like the TorchSharp code it mirrors. Models write themselves through an
/// <c>ExportOnnx(OnnxGraphBuilder)</c> method; see <c>docs/onnx-export.md</c> for the input conventions.
/// </summary>
/// <example><code>
/// var g = new OnnxGraphBuilder("mlp");
/// var x = g.Input("x", OnnxElementType.Float, 1, "NxD");            // flat [1, N*d] as ML.NET feeds it
/// var h = g.Reshape(x, 1, -1, 16);                                   // back to [1, N, 16] inside the graph
/// h = g.Gelu(g.Linear(h, layer.weight, layer.bias));
/// g.Output(g.Reshape(h, 1, -1), "y", OnnxElementType.Float, 1, "NxD_out");
/// byte[] onnx = g.ToBytes();
/// </code></example>
internal sealed partial class OnnxGraphBuilder
{
    /// <summary>The default-domain opset written when none is given: 20 (Gelu; LayerNormalization needs 17).</summary>
    public const long DefaultOpset = 20;

    /// <summary>The ONNX IR version written: 9 is the one opset 20 was released with, read by ONNX Runtime 1.16+.</summary>
    public const long IrVersion = 9;

    /// <summary>The producer name stamped on every model.</summary>
    public const string Producer = "MLNeuro";

    private readonly GraphProto _graph;
    private readonly long _opset;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _counter;

    /// <summary>Starts an empty graph.</summary>
    /// <param name="graphName">The graph's name inside the model.</param>
    /// <param name="opset">The default-domain opset; at least 17 (LayerNormalization), 20 for <see cref="Gelu"/>.</param>
    public OnnxGraphBuilder(string graphName = "mlneuro", long opset = DefaultOpset)
    {
        if (opset < 17) throw new ArgumentOutOfRangeException(nameof(opset), opset, "MLNeuro graphs need opset 17 or newer (LayerNormalization).");
        _graph = new GraphProto { Name = graphName };
        _opset = opset;
    }

    /// <summary>The default-domain opset this graph declares.</summary>
    public long Opset => _opset;

    /// <summary>Declares a graph input and returns its name.</summary>
    /// <param name="name">The input name; ML.NET binds it to the input column of the same position.</param>
    /// <param name="type">The element type.</param>
    /// <param name="dims">The shape; strings are symbolic dimensions bound per call; none leaves the shape unspecified.</param>
    public string Input(string name, OnnxElementType type, params OnnxDim[] dims)
    {
        Claim(name);
        _graph.Input.Add(ValueInfo(name, type, dims));
        return name;
    }

    /// <summary>
    /// Exposes the value <paramref name="value"/> as a graph output named <paramref name="name"/> (an Identity node
    /// renames it when the names differ) and returns this builder. <paramref name="dims"/> as for <see cref="Input"/>.
    /// </summary>
    public OnnxGraphBuilder Output(string value, string name, OnnxElementType type, params OnnxDim[] dims)
    {
        if (value != name)
        {
            Claim(name);
            AddNode("Identity", new[] { value }, new[] { name });
        }
        _graph.Output.Add(ValueInfo(name, type, dims));
        return this;
    }

    /// <summary>Adds a float32 initializer with the given shape and returns its name (a fresh one when null).</summary>
    public string Initializer(float[] values, long[] dims, string? name = null)
    {
        name = name is null ? Fresh("w") : Fresh(name, preferExact: true);
        _graph.Initializer.Add(OnnxTensors.FromFloats(name, values, dims));
        return name;
    }

    /// <summary>Adds a float64 initializer with the given shape and returns its name (a fresh one when null).</summary>
    public string Initializer(double[] values, long[] dims, string? name = null)
    {
        name = name is null ? Fresh("w") : Fresh(name, preferExact: true);
        _graph.Initializer.Add(OnnxTensors.FromDoubles(name, values, dims));
        return name;
    }

    /// <summary>Adds an int64 initializer with the given shape and returns its name (a fresh one when null).</summary>
    public string Initializer(long[] values, long[] dims, string? name = null)
    {
        name = name is null ? Fresh("i") : Fresh(name, preferExact: true);
        _graph.Initializer.Add(OnnxTensors.FromInt64s(name, values, dims));
        return name;
    }

    /// <summary>Adds a TorchSharp tensor (any dtype, converted to float32) as an initializer and returns its name.</summary>
    public string Initializer(torch.Tensor tensor, string? name = null)
    {
        name = name is null ? Fresh("w") : Fresh(name, preferExact: true);
        _graph.Initializer.Add(OnnxTensors.FromTorch(name, tensor));
        return name;
    }

    /// <summary>A rank-1 int64 constant (shapes, axes, starts, ends, split sizes).</summary>
    public string Int64s(params long[] values) => AddInitializer(OnnxTensors.FromInt64s(Fresh("c"), values, new long[] { values.Length }));

    /// <summary>A float32 scalar constant (rank 0, so it broadcasts against anything).</summary>
    public string Scalar(float value) => AddInitializer(OnnxTensors.FromFloats(Fresh("s"), new[] { value }, Array.Empty<long>()));

    /// <summary>An int64 scalar constant (rank 0), for Gather indices that drop the axis.</summary>
    public string ScalarInt64(long value) => AddInitializer(OnnxTensors.FromInt64s(Fresh("c"), new[] { value }, Array.Empty<long>()));

    /// <summary>
    /// Adds a node and returns its output names. <paramref name="attributes"/> values may be long, int, float,
    /// string, long[], float[] or a <see cref="TensorProto"/>. An empty input name marks an omitted optional input.
    /// </summary>
    public string[] Node(string opType, string[] inputs, int outputCount = 1, params (string Name, object Value)[] attributes)
    {
        var outputs = new string[outputCount];
        for (int i = 0; i < outputCount; i++) outputs[i] = Fresh(opType.ToLowerInvariant());
        AddNode(opType, inputs, outputs, attributes);
        return outputs;
    }

    /// <summary>Builds the model: the graph, the opset import, IR version and producer name.</summary>
    public ModelProto Build()
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = Producer,
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = _graph.Clone(),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = _opset });
        return model;
    }

    /// <summary>Serialises the model to the ONNX protobuf bytes that ONNX Runtime and ML.NET load.</summary>
    public byte[] ToBytes() => Build().ToByteArray();

    private string AddInitializer(TensorProto initializer)
    {
        _graph.Initializer.Add(initializer);
        return initializer.Name;
    }

    private void AddNode(string opType, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{_graph.Node.Count}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        foreach (var (name, value) in attributes) node.Attribute.Add(Attribute(name, value));
        _graph.Node.Add(node);
    }

    private static AttributeProto Attribute(string name, object value)
    {
        var a = new AttributeProto { Name = name };
        switch (value)
        {
            case long l: a.Type = AttributeProto.Types.AttributeType.Int; a.I = l; break;
            case int i: a.Type = AttributeProto.Types.AttributeType.Int; a.I = i; break;
            case float f: a.Type = AttributeProto.Types.AttributeType.Float; a.F = f; break;
            case string s: a.Type = AttributeProto.Types.AttributeType.String; a.S = ByteString.CopyFromUtf8(s); break;
            case long[] ls: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ls); break;
            case float[] fs: a.Type = AttributeProto.Types.AttributeType.Floats; a.Floats.AddRange(fs); break;
            case TensorProto t: a.Type = AttributeProto.Types.AttributeType.Tensor; a.T = t; break;
            default: throw new ArgumentException($"Attribute '{name}' has unsupported type {value?.GetType().Name ?? "null"}.", nameof(value));
        }
        return a;
    }

    // No dims leaves the shape unspecified (any rank) rather than declaring a scalar: ONNX Runtime then takes the
    // shape its inference finds, which suits outputs whose rank is obvious from the graph.
    private static ValueInfoProto ValueInfo(string name, OnnxElementType type, OnnxDim[] dims)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)type };
        if (dims.Length == 0) return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
        var shape = tensor.Shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            var dim = new TensorShapeProto.Types.Dimension();
            if (d.Symbol is { } symbol) dim.DimParam = symbol;
            else dim.DimValue = d.Value!.Value;
            shape.Dim.Add(dim);
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }

    private void Claim(string name)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("ONNX value names must be non-empty.", nameof(name));
        if (!_names.Add(name)) throw new ArgumentException($"The ONNX value name '{name}' is already used in this graph.", nameof(name));
    }

    // Generated names always carry a counter ("matmul_12"), so they stay clear of the plain names callers give inputs
    // and outputs ("x", "y", "embedding"); a caller's preferred initializer name is kept when still free, which makes
    // exported graphs readable in Netron.
    private string Fresh(string stem, bool preferExact = false)
    {
        if (preferExact && _names.Add(stem)) return stem;
        string name;
        do name = $"{stem}_{++_counter}"; while (!_names.Add(name));
        return name;
    }
}
