using TorchSharp;

namespace MLNeuro.Estimators;

// The operator helpers a transformer encoder needs. Each returns the name of its (first) output; inputs are value
// names (graph inputs, initializers or earlier outputs). Forms follow the default-domain opset the builder declares
// (17+): axes are inputs, not attributes, for Squeeze/Unsqueeze (13+) and ReduceMean (18+).
internal sealed partial class OnnxGraphBuilder
{
    private string Op(string opType, string[] inputs, params (string Name, object Value)[] attributes) =>
        Node(opType, inputs, 1, attributes)[0];

    /// <summary>Matrix product with numpy broadcasting over leading dimensions.</summary>
    public string MatMul(string a, string b) => Op("MatMul", new[] { a, b });

    /// <summary>Y = alpha * A' * B' + beta * C for 2-D A and B (primes per the transpose flags).</summary>
    public string Gemm(string a, string b, string? c = null, float alpha = 1f, float beta = 1f, bool transA = false, bool transB = false) =>
        Op("Gemm", c is null ? new[] { a, b } : new[] { a, b, c }, ("alpha", alpha), ("beta", beta), ("transA", transA ? 1L : 0L), ("transB", transB ? 1L : 0L));

    /// <summary>
    /// torch.nn.Linear on any rank: x @ W^T + b as MatMul + Add. The weight is stored pre-transposed ([in, out]) so
    /// ONNX Runtime multiplies without a Transpose node; Gemm is avoided because it only takes 2-D inputs.
    /// </summary>
    public string Linear(string x, torch.Tensor weight, torch.Tensor? bias)
    {
        string w;
        using (torch.NewDisposeScope()) w = Initializer(weight.detach().t());
        var y = MatMul(x, w);
        return bias is null ? y : Add(y, Initializer(bias));
    }

    /// <summary>Elementwise a + b (broadcasting).</summary>
    public string Add(string a, string b) => Op("Add", new[] { a, b });

    /// <summary>Elementwise a - b (broadcasting).</summary>
    public string Sub(string a, string b) => Op("Sub", new[] { a, b });

    /// <summary>Elementwise a * b (broadcasting).</summary>
    public string Mul(string a, string b) => Op("Mul", new[] { a, b });

    /// <summary>Elementwise a / b (broadcasting).</summary>
    public string Div(string a, string b) => Op("Div", new[] { a, b });

    /// <summary>Elementwise a ^ b.</summary>
    public string Pow(string a, string b) => Op("Pow", new[] { a, b });

    /// <summary>Elementwise negation.</summary>
    public string Neg(string x) => Op("Neg", new[] { x });

    /// <summary>Elementwise square root.</summary>
    public string Sqrt(string x) => Op("Sqrt", new[] { x });

    /// <summary>Elementwise cosine.</summary>
    public string Cos(string x) => Op("Cos", new[] { x });

    /// <summary>Elementwise sine.</summary>
    public string Sin(string x) => Op("Sin", new[] { x });

    /// <summary>Elementwise max(x, 0).</summary>
    public string Relu(string x) => Op("Relu", new[] { x });

    /// <summary>Elementwise logistic sigmoid.</summary>
    public string Sigmoid(string x) => Op("Sigmoid", new[] { x });

    /// <summary>Elementwise hyperbolic tangent.</summary>
    public string Tanh(string x) => Op("Tanh", new[] { x });

    /// <summary>Elementwise error function.</summary>
    public string Erf(string x) => Op("Erf", new[] { x });

    /// <summary>
    /// GELU as the opset-20 operator (exact erf form, like torch's default, or <c>approximate: "tanh"</c>); falls back
    /// to <see cref="GeluErf"/> when the builder declares an older opset.
    /// </summary>
    public string Gelu(string x, string approximate = "none")
    {
        if (_opset >= 20) return Op("Gelu", new[] { x }, ("approximate", approximate));
        if (approximate != "none") throw new NotSupportedException("The tanh GELU approximation needs opset 20.");
        return GeluErf(x);
    }

    /// <summary>Exact GELU spelt out for any opset: 0.5 * x * (1 + erf(x / sqrt(2))).</summary>
    public string GeluErf(string x)
    {
        var erf = Erf(Mul(x, Scalar((float)(1 / Math.Sqrt(2)))));
        return Mul(Mul(x, Scalar(0.5f)), Add(erf, Scalar(1f)));
    }

    /// <summary>LayerNormalization over the last axis (opset 17), with the given scale (gamma) and bias (beta) values.</summary>
    public string LayerNormalization(string x, string scale, string bias, float epsilon = 1e-5f, long axis = -1) =>
        Op("LayerNormalization", new[] { x, scale, bias }, ("axis", axis), ("epsilon", epsilon));

    /// <summary>torch.nn.LayerNorm over the last axis, writing its weight and bias as initializers.</summary>
    public string LayerNorm(string x, torch.Tensor weight, torch.Tensor bias, double epsilon = 1e-5) =>
        LayerNormalization(x, Initializer(weight), Initializer(bias), (float)epsilon);

    /// <summary>Softmax along one axis (opset 13+ semantics: that axis only).</summary>
    public string Softmax(string x, long axis = -1) => Op("Softmax", new[] { x }, ("axis", axis));

    /// <summary>Reshape to a shape value (an int64 initializer from <see cref="Int64s"/> or a computed shape); 0 copies a dim, -1 infers one.</summary>
    public string Reshape(string x, string shape) => Op("Reshape", new[] { x, shape });

    /// <summary>Reshape to a fixed target shape given inline (0 copies a dim, -1 infers one).</summary>
    public string Reshape(string x, params long[] shape) => Reshape(x, Int64s(shape));

    /// <summary>Permutes the axes.</summary>
    public string Transpose(string x, params long[] perm) => Op("Transpose", new[] { x }, ("perm", perm));

    /// <summary>Concatenates along an axis.</summary>
    public string Concat(long axis, params string[] inputs) => Op("Concat", inputs, ("axis", axis));

    /// <summary>Slices [starts, ends) along the given axes (steps 1), all given inline.</summary>
    public string Slice(string x, long[] starts, long[] ends, long[] axes) =>
        Op("Slice", new[] { x, Int64s(starts), Int64s(ends), Int64s(axes) });

    /// <summary>Splits along an axis into pieces of the given sizes; returns one name per piece.</summary>
    public string[] Split(string x, long axis, params long[] sizes) =>
        Node("Split", new[] { x, Int64s(sizes) }, sizes.Length, ("axis", axis));

    /// <summary>Inserts size-1 axes (opset 13+: axes as an input).</summary>
    public string Unsqueeze(string x, params long[] axes) => Op("Unsqueeze", new[] { x, Int64s(axes) });

    /// <summary>Removes size-1 axes (opset 13+: axes as an input).</summary>
    public string Squeeze(string x, params long[] axes) => Op("Squeeze", new[] { x, Int64s(axes) });

    /// <summary>Mean over axes (opset 18+: axes as an input).</summary>
    public string ReduceMean(string x, long[] axes, bool keepDims = true)
    {
        if (_opset < 18) throw new NotSupportedException("ReduceMean with an axes input needs opset 18.");
        return Op("ReduceMean", new[] { x, Int64s(axes) }, ("keepdims", keepDims ? 1L : 0L));
    }

    /// <summary>Elementwise choice: condition ? x : y (broadcasting).</summary>
    public string Where(string condition, string x, string y) => Op("Where", new[] { condition, x, y });

    /// <summary>Elementwise equality, giving a bool tensor.</summary>
    public string Equal(string a, string b) => Op("Equal", new[] { a, b });

    /// <summary>Casts to another element type.</summary>
    public string Cast(string x, OnnxElementType to) => Op("Cast", new[] { x }, ("to", (long)to));

    /// <summary>The shape of x as a rank-1 int64 tensor.</summary>
    public string Shape(string x) => Op("Shape", new[] { x });

    /// <summary>Gathers entries of x along an axis at the given int64 indices.</summary>
    public string Gather(string x, string indices, long axis = 0) => Op("Gather", new[] { x, indices }, ("axis", axis));

    /// <summary>Broadcasts x to a shape value.</summary>
    public string Expand(string x, string shape) => Op("Expand", new[] { x, shape });

    /// <summary>A float32 tensor of the given (computed) shape filled with <paramref name="value"/>.</summary>
    public string ConstantOfShape(string shape, float value = 0f) =>
        Op("ConstantOfShape", new[] { shape }, ("value", OnnxTensors.FromFloats("value", new[] { value }, new long[] { 1 })));
}
