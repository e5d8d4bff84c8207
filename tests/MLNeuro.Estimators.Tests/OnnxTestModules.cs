using TorchSharp;
using static TorchSharp.torch;

namespace MLNeuro.Estimators.Tests;

// TorchSharp reference modules for the ONNX parity tests. Each mirrors its forward pass in ExportOnnx, the shape every
// MLNeuro model's exporter will take. Weights are random (LayerNorm affine too) so a wrong transpose or a dropped
// parameter shows up as a large error rather than hiding behind the ones/zeros defaults.
internal static class TestInit
{
    public static void Randomise(torch.nn.Module module, Generator generator)
    {
        using var noGrad = torch.no_grad();
        foreach (var (_, p) in module.named_parameters())
            p.copy_(torch.randn(p.shape, generator: generator) * 0.3);
    }
}

/// <summary>Linear -> LayerNorm -> GELU -> Linear on [1, N, dIn].</summary>
internal sealed class TestMlp : IDisposable
{
    private readonly TorchSharp.Modules.Linear _fc1, _fc2;
    private readonly TorchSharp.Modules.LayerNorm _norm;

    public TestMlp(int dIn, int hidden, int dOut, Generator generator)
    {
        _fc1 = nn.Linear(dIn, hidden);
        _norm = nn.LayerNorm(hidden);
        _fc2 = nn.Linear(hidden, dOut);
        foreach (var m in new nn.Module[] { _fc1, _norm, _fc2 }) TestInit.Randomise(m, generator);
    }

    public Tensor Forward(Tensor x) => _fc2.call(nn.functional.gelu(_norm.call(_fc1.call(x))));

    public string ExportOnnx(OnnxGraphBuilder g, string x)
    {
        var (fc1, fc2) = (_fc1, _fc2);
        var h = g.Linear(x, fc1.weight!, fc1.bias);
        h = g.LayerNorm(h, _norm.weight!, _norm.bias!, 1e-5);
        return g.Linear(g.Gelu(h), fc2.weight!, fc2.bias);
    }

    public void Dispose()
    {
        _fc1.Dispose(); _norm.Dispose(); _fc2.Dispose();
    }
}

/// <summary>
/// Pre-LayerNorm transformer block: x + Wo(MHSA(LN(x))) then x + GEGLU-FFN(LN(x)), with an optional key padding mask
/// (1 keeps a key, 0 drops it) and optional rotary position embedding of q and k from per-token positions.
/// </summary>
internal sealed class TestAttentionBlock : IDisposable
{
    private readonly int _d, _heads, _headDim;
    private readonly TorchSharp.Modules.LayerNorm _norm1, _norm2;
    private readonly TorchSharp.Modules.Linear _q, _k, _v, _o, _ff1, _ff2;
    private readonly float[] _invFreq;

    public TestAttentionBlock(int d, int heads, int ffHidden, Generator generator)
    {
        (_d, _heads, _headDim) = (d, heads, d / heads);
        _norm1 = nn.LayerNorm(d); _norm2 = nn.LayerNorm(d);
        _q = nn.Linear(d, d); _k = nn.Linear(d, d); _v = nn.Linear(d, d); _o = nn.Linear(d, d);
        _ff1 = nn.Linear(d, 2 * ffHidden); _ff2 = nn.Linear(ffHidden, d);
        foreach (var m in Modules) TestInit.Randomise(m, generator);
        // RoPE inverse frequencies 10000^(-2i/headDim), fixed at construction like a registered buffer.
        _invFreq = Enumerable.Range(0, _headDim / 2).Select(i => (float)Math.Pow(10000, -2.0 * i / _headDim)).ToArray();
    }

    private nn.Module[] Modules => new nn.Module[] { _norm1, _norm2, _q, _k, _v, _o, _ff1, _ff2 };

    public Tensor Forward(Tensor x, Tensor? keepMask, Tensor? positions)
    {
        long n = x.shape[1];
        var h = _norm1.call(x);
        Tensor Heads(Tensor t) => t.view(1, n, _heads, _headDim).transpose(1, 2);
        var q = Heads(_q.call(h));
        var k = Heads(_k.call(h));
        var v = Heads(_v.call(h));
        if (positions is not null)
        {
            var angles = positions.unsqueeze(-1) * torch.tensor(_invFreq);           // [1, N, hd/2]
            var emb = torch.cat(new[] { angles, angles }, -1);                      // [1, N, hd]
            var cos = emb.cos().unsqueeze(1);
            var sin = emb.sin().unsqueeze(1);
            q = q * cos + RotateHalf(q) * sin;
            k = k * cos + RotateHalf(k) * sin;
        }
        var scores = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(_headDim);
        if (keepMask is not null)
            scores = scores + torch.where(keepMask.to_type(ScalarType.Bool), 0f, -1e9f).view(1, 1, 1, n);
        var attn = nn.functional.softmax(scores, -1).matmul(v).transpose(1, 2).reshape(1, n, _d);
        x = x + _o.call(attn);
        var ab = _ff1.call(_norm2.call(x)).chunk(2, -1);
        return x + _ff2.call(nn.functional.gelu(ab[0]) * ab[1]);
    }

    private static Tensor RotateHalf(Tensor t)
    {
        var halves = t.chunk(2, -1);
        return torch.cat(new[] { -halves[1], halves[0] }, -1);
    }

    /// <summary>Writes the block; <paramref name="additiveMask"/> is [1, 1, 1, N], <paramref name="positions"/> is [1, N].</summary>
    public string ExportOnnx(OnnxGraphBuilder g, string x, string? additiveMask, string? positions)
    {
        var h = g.LayerNorm(x, _norm1.weight!, _norm1.bias!);
        string Heads(string t, params long[] perm) => g.Transpose(g.Reshape(t, 0, -1, _heads, _headDim), perm);
        var q = Heads(g.Linear(h, _q.weight!, _q.bias), 0, 2, 1, 3);               // [1, H, N, hd]
        var k = Heads(g.Linear(h, _k.weight!, _k.bias), 0, 2, 1, 3);
        var v = Heads(g.Linear(h, _v.weight!, _v.bias), 0, 2, 1, 3);
        if (positions is not null)
        {
            var angles = g.Mul(g.Unsqueeze(positions, 2), g.Initializer(_invFreq, new long[] { _invFreq.Length }, "rope_inv_freq"));
            var emb = g.Concat(-1, angles, angles);
            var cos = g.Unsqueeze(g.Cos(emb), 1);                                   // [1, 1, N, hd]
            var sin = g.Unsqueeze(g.Sin(emb), 1);
            q = g.Add(g.Mul(q, cos), g.Mul(RotateHalf(g, q), sin));
            k = g.Add(g.Mul(k, cos), g.Mul(RotateHalf(g, k), sin));
        }
        var scores = g.Mul(g.MatMul(q, g.Transpose(k, 0, 1, 3, 2)), g.Scalar((float)(1 / Math.Sqrt(_headDim))));
        if (additiveMask is not null) scores = g.Add(scores, additiveMask);
        var attn = g.Reshape(g.Transpose(g.MatMul(g.Softmax(scores, -1), v), 0, 2, 1, 3), 0, -1, _d);
        x = g.Add(x, g.Linear(attn, _o.weight!, _o.bias));
        var ab = g.Split(g.Linear(g.LayerNorm(x, _norm2.weight!, _norm2.bias!), _ff1.weight!, _ff1.bias), -1, _ff1.weight!.shape[0] / 2, _ff1.weight!.shape[0] / 2);
        // The Erf spelling of GELU here (the MLP uses the opset-20 operator) so both forms are checked against torch.
        return g.Add(x, g.Linear(g.Mul(g.GeluErf(ab[0]), ab[1]), _ff2.weight!, _ff2.bias));
    }

    private string RotateHalf(OnnxGraphBuilder g, string t)
    {
        var halves = g.Split(t, -1, _headDim / 2, _headDim / 2);
        return g.Concat(-1, g.Mul(halves[1], g.Scalar(-1f)), halves[0]);
    }

    public void Dispose()
    {
        foreach (var m in Modules) m.Dispose();
    }
}
