using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// Rotary position embedding over continuous positions (patch index for NuCLR, time in seconds for POYO). Pairs of
/// head dimensions (i, i + r/2) of the first r rotated dims are turned by the angle 2*pi*position/period_i, so the
/// dot product of a rotated query and key depends only on the difference of their positions.
/// </summary>
internal sealed class RotaryEmbedding
{
    private readonly double[] _angularFrequencies;

    /// <param name="headDim">Dimensions per attention head (even).</param>
    /// <param name="rotaryDim">How many of the head dims rotate (even, at most headDim): headDim/2 in POYO, headDim for NuCLR.</param>
    /// <param name="minPeriod">Shortest period, in position units.</param>
    /// <param name="maxPeriod">Longest period; periods are log-spaced between the two.</param>
    public RotaryEmbedding(int headDim, int rotaryDim, double minPeriod, double maxPeriod)
    {
        if (headDim <= 0 || headDim % 2 != 0) throw new ArgumentOutOfRangeException(nameof(headDim), headDim, "must be positive and even");
        if (rotaryDim <= 0 || rotaryDim % 2 != 0 || rotaryDim > headDim)
            throw new ArgumentOutOfRangeException(nameof(rotaryDim), rotaryDim, $"must be positive, even and at most headDim ({headDim})");
        if (!(minPeriod > 0)) throw new ArgumentOutOfRangeException(nameof(minPeriod), minPeriod, "must be positive");
        if (!(maxPeriod >= minPeriod)) throw new ArgumentOutOfRangeException(nameof(maxPeriod), maxPeriod, "must be at least minPeriod");
        HeadDim = headDim;
        RotaryDim = rotaryDim;
        int pairs = rotaryDim / 2;
        _angularFrequencies = new double[pairs];
        for (int i = 0; i < pairs; i++)
        {
            double t = pairs == 1 ? 0 : (double)i / (pairs - 1);
            double period = minPeriod * Math.Pow(maxPeriod / minPeriod, t);
            _angularFrequencies[i] = 2 * Math.PI / period;
        }
    }

    public int HeadDim { get; }

    public int RotaryDim { get; }

    public IReadOnlyList<double> AngularFrequencies => _angularFrequencies;

    /// Rotates <paramref name="x"/> [batch, heads, seq, headDim] by <paramref name="positions"/> [batch, seq].
    public Tensor Rotate(Tensor x, Tensor positions)
    {
        using var scope = NewDisposeScope();
        int pairs = RotaryDim / 2;
        // Angles in float64 so that large positions (seconds into a long recording) keep their phase precision.
        var frequencies = tensor(_angularFrequencies, dtype: ScalarType.Float64, device: x.device);
        var angles = positions.to(ScalarType.Float64).unsqueeze(-1) * frequencies; // [batch, seq, pairs]
        var cos = angles.cos().to(x.dtype).unsqueeze(1);                              // [batch, 1, seq, pairs]
        var sin = angles.sin().to(x.dtype).unsqueeze(1);
        var x1 = x.narrow(-1, 0, pairs);
        var x2 = x.narrow(-1, pairs, pairs);
        var parts = new List<Tensor> { x1 * cos - x2 * sin, x1 * sin + x2 * cos };
        if (RotaryDim < HeadDim) parts.Add(x.narrow(-1, RotaryDim, HeadDim - RotaryDim));
        return cat(parts, -1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// cos and sin of the rotary angles for fixed <paramref name="positions"/>, each [positions, rotaryDim/2] row-major,
    /// computed in float64 and rounded to float32 exactly as <see cref="Rotate"/> does, so a graph that stores them as
    /// initializers matches TorchSharp bit for bit in the rotation's inputs.
    /// </summary>
    public (float[] Cos, float[] Sin) Table(IReadOnlyList<double> positions)
    {
        int pairs = RotaryDim / 2;
        var cos = new float[positions.Count * pairs];
        var sin = new float[positions.Count * pairs];
        for (int p = 0; p < positions.Count; p++)
        {
            for (int i = 0; i < pairs; i++)
            {
                double angle = positions[p] * _angularFrequencies[i];
                cos[p * pairs + i] = (float)Math.Cos(angle);
                sin[p * pairs + i] = (float)Math.Sin(angle);
            }
        }
        return (cos, sin);
    }

    /// <summary>
    /// Writes the rotary angles of per-token <paramref name="positions"/> ([batch, seq], float32 or float64) into an
    /// ONNX graph and returns their cos and sin as float32 [batch, 1, seq, rotaryDim/2], ready for
    /// <see cref="ExportRotate"/>. Like <see cref="Rotate"/>, the angles are formed and turned into cos/sin in float64
    /// and only then rounded to float32: at POYO's shortest period (1e-4 s) float32's rounding step for the angle is
    /// 0.016 rad 3 s into a recording and 4 rad at 1000 s.
    /// </summary>
    /// <param name="g">The graph being written.</param>
    /// <param name="positions">The positions value (graph input or computed), [batch, seq].</param>
    /// <param name="inputIsDouble">False when <paramref name="positions"/> is float32 (it is cast up first).</param>
    public (string Cos, string Sin) ExportAngles(OnnxGraphBuilder g, string positions, bool inputIsDouble = true)
    {
        int pairs = RotaryDim / 2;
        var frequencies = g.Initializer(_angularFrequencies, new long[] { pairs }, "rope_angular_frequencies");
        var p = inputIsDouble ? positions : g.Cast(positions, OnnxElementType.Double);
        var angles = g.Unsqueeze(g.Mul(g.Unsqueeze(p, -1), frequencies), 1); // [batch, 1, seq, pairs]
        return (g.Cast(g.Cos(angles), OnnxElementType.Float), g.Cast(g.Sin(angles), OnnxElementType.Float));
    }

    /// <summary>
    /// Writes <see cref="Rotate"/> into an ONNX graph: <paramref name="x"/> is [batch, heads, seq, headDim];
    /// <paramref name="cos"/> and <paramref name="sin"/> broadcast to [batch, heads, seq, rotaryDim/2].
    /// </summary>
    public string ExportRotate(OnnxGraphBuilder g, string x, string cos, string sin)
    {
        int pairs = RotaryDim / 2;
        var sizes = RotaryDim < HeadDim ? new long[] { pairs, pairs, HeadDim - RotaryDim } : new long[] { pairs, pairs };
        var parts = g.Split(x, -1, sizes);
        var rotated = new List<string>
        {
            g.Sub(g.Mul(parts[0], cos), g.Mul(parts[1], sin)),
            g.Add(g.Mul(parts[0], sin), g.Mul(parts[1], cos)),
        };
        if (RotaryDim < HeadDim) rotated.Add(parts[2]);
        return g.Concat(-1, rotated.ToArray());
    }
}
