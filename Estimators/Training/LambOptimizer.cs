using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// LAMB (You et al. 2019, arXiv 1904.00962) with the conventions of POYO's reference optimizer (torch_brain's
/// <c>SparseLamb</c>, used by <c>examples/poyo/utils.py</c>), per parameter tensor w with gradient g:
/// <code>
/// m = b1·m + (1-b1)·g;  v = b2·v + (1-b2)·g²            (no bias correction: LAMB paper v3, reference debias=False)
/// u = m / (sqrt(v) + eps) + wd·w                         (weight decay on every tensor, as the reference)
/// r = clamp(||w||, 0, 10) / ||u||, or 1 when either norm is 0
/// w = w - lr·r·u
/// </code>
/// Sparse tensors (the reference's unit and session embeddings): when some rows got no gradient this step, their
/// moments are reset to zero and only the rows with a gradient move; the norms are still over the whole tensor.
/// </summary>
internal sealed class LambOptimizer : ITrainingOptimizer
{
    /// <summary>The reference's clamp on ||w|| (torch_optimizer's and SparseLamb's clamp_value).</summary>
    internal const double WeightNormClamp = 10;

    private readonly List<Parameter> _parameters;
    private readonly bool[] _sparse;
    private readonly double _weightDecay;
    private readonly double _beta2;
    private readonly double _eps;
    private readonly Tensor?[] _exp;
    private readonly Tensor?[] _expSq;
    private readonly long[] _steps;
    private double _learningRate;
    private double _beta1;

    /// <param name="parameters">The tensors to update, each with whether it is a sparse (row-wise) embedding.</param>
    /// <param name="learningRate">Initial learning rate (the loop sets it every step).</param>
    /// <param name="weightDecay">Decay added to every tensor's update.</param>
    /// <param name="beta1">First-moment decay (reference 0.9; OneCycleLR cycles it).</param>
    /// <param name="beta2">Second-moment decay (reference 0.999).</param>
    /// <param name="eps">Added to sqrt(v) (reference 1e-6).</param>
    public LambOptimizer(IReadOnlyList<(Parameter Parameter, bool Sparse)> parameters, double learningRate, double weightDecay,
        double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-6)
    {
        if (parameters.Count == 0) throw new ArgumentException("no trainable parameters", nameof(parameters));
        _parameters = parameters.Select(p => p.Parameter).ToList();
        _sparse = parameters.Select(p => p.Sparse).ToArray();
        _learningRate = learningRate;
        _weightDecay = weightDecay;
        _beta1 = beta1;
        _beta2 = beta2;
        _eps = eps;
        _exp = new Tensor?[_parameters.Count];
        _expSq = new Tensor?[_parameters.Count];
        _steps = new long[_parameters.Count];
    }

    public IReadOnlyList<Parameter> Parameters => _parameters;

    public void SetLearningRate(double learningRate) => _learningRate = learningRate;

    public void SetBeta1(double beta1) => _beta1 = beta1;

    public void ZeroGrad()
    {
        foreach (var p in _parameters)
        {
            using var g = p.grad;
            g?.zero_();
        }
    }

    // Every Scalar is created explicitly and disposed after its native call: an implicit double-to-Scalar conversion
    // leaves a temporary the finalizer may free while libtorch still reads it (the rare "Expected false to be true"
    // and segfaults of TrainingLoop.MaxRollbacks), and LAMB would make several per tensor per step.
    public void Step()
    {
        using var noGrad = no_grad();
        using var beta1 = _beta1.ToScalar();
        using var oneMinusBeta1 = (1 - _beta1).ToScalar();
        using var beta2 = _beta2.ToScalar();
        using var oneMinusBeta2 = (1 - _beta2).ToScalar();
        using var eps = _eps.ToScalar();
        using var decay = _weightDecay.ToScalar();
        for (int i = 0; i < _parameters.Count; i++)
        {
            var p = _parameters[i];
            using var g = p.grad;
            if (g is null) continue;
            using var scope = NewDisposeScope();
            // State is created at the first step (as the reference), and again if an embedding grew since.
            if (_exp[i] is null || !_exp[i]!.shape.SequenceEqual(p.shape))
            {
                _exp[i]?.Dispose();
                _expSq[i]?.Dispose();
                _exp[i] = zeros_like(p).DetachFromDisposeScope();
                _expSq[i] = zeros_like(p).DetachFromDisposeScope();
            }
            var m = _exp[i]!;
            var v = _expSq[i]!;
            _steps[i]++;
            m.mul_(beta1).add_(g, alpha: oneMinusBeta1);
            v.mul_(beta2).addcmul_(g, g, value: oneMinusBeta2);

            Tensor? rows = null;
            if (_sparse[i] && p.dim() >= 2)
            {
                var touched = g.abs().sum(-1) > 0;
                if (!touched.all().item<bool>())
                {
                    rows = touched.unsqueeze(-1).to_type(p.dtype);
                    m.mul_(rows); // rows without a gradient restart their moments, as the reference's zeroed betas do
                    v.mul_(rows);
                }
            }

            var update = m / v.sqrt().add_(eps);
            if (_weightDecay != 0) update.add_(p, alpha: decay);
            double weightNorm = Math.Min(WeightNormClamp, p.norm().item<float>());
            double updateNorm = update.norm().item<float>();
            double trust = weightNorm == 0 || updateNorm == 0 ? 1.0 : weightNorm / updateNorm;
            if (rows is not null) update.mul_(rows);
            using var stepSize = (-_learningRate * trust).ToScalar();
            p.add_(update, alpha: stepSize);
        }
    }

    // Layout: count, then per tensor: step, element count, exp_avg floats, exp_avg_sq floats (count 0 = no state yet).
    public void Save(BinaryWriter writer)
    {
        writer.Write(_parameters.Count);
        for (int i = 0; i < _parameters.Count; i++)
        {
            writer.Write(_steps[i]);
            WriteTensor(writer, _exp[i]);
            WriteTensor(writer, _expSq[i]);
        }
    }

    public void Load(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        if (count != _parameters.Count)
            throw new InvalidDataException($"the LAMB state holds {count} tensors; this model trains {_parameters.Count}");
        for (int i = 0; i < count; i++)
        {
            _steps[i] = reader.ReadInt64();
            _exp[i]?.Dispose();
            _expSq[i]?.Dispose();
            _exp[i] = ReadTensor(reader, _parameters[i]);
            _expSq[i] = ReadTensor(reader, _parameters[i]);
        }
    }

    private static void WriteTensor(BinaryWriter writer, Tensor? state)
    {
        if (state is null)
        {
            writer.Write(0L);
            return;
        }
        var values = state.data<float>().ToArray();
        writer.Write((long)values.Length);
        foreach (var x in values) writer.Write(x);
    }

    private static Tensor? ReadTensor(BinaryReader reader, Parameter like)
    {
        long n = reader.ReadInt64();
        if (n == 0) return null;
        if (n != like.numel())
            throw new InvalidDataException($"a LAMB moment holds {n} values; its parameter has {like.numel()}");
        var values = new float[n];
        for (long k = 0; k < n; k++) values[k] = reader.ReadSingle();
        return tensor(values).view(like.shape).DetachFromDisposeScope();
    }

    public void Dispose()
    {
        foreach (var t in _exp) t?.Dispose();
        foreach (var t in _expSq) t?.Dispose();
    }
}
