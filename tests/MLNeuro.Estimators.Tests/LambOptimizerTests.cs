using TorchSharp.Modules;
using static TorchSharp.torch;
using static MLNeuro.Estimators.Tests.TorchTestHelpers;

namespace MLNeuro.Estimators.Tests;

/// LAMB against the algorithm computed by hand in doubles (the reference's SparseLamb conventions).
public sealed class LambOptimizerTests
{
    private const double Lr = 0.1, Wd = 0.01, B1 = 0.9, B2 = 0.999, Eps = 1e-6;

    private static readonly double[] W0 = [0.5, -1.0, 2.0, 0.25, 1.5, -0.75];   // "weight" [2, 3]
    private static readonly double[] C = [1.0, 2.0, 0.5, 3.0, 1.0, 4.0];         // loss 0.5·Σ C·w²  → grad C·w
    private static readonly double[] D = [0.3, -0.2, 0.1];                        // "bias" [3] from zeros; loss Σ D·b
    private static readonly double[] E0 = [0.1, -0.2, 0.3, 0.4, -0.5, 0.6];      // "unit_emb" [3, 2]; only row 0 in the loss
    private static readonly double[] F = [2.0, -1.0];                             // loss Σ F·E[0]

    /// weight, bias and a unit embedding, named so that the embedding is one of LAMB's sparse tensors.
    private sealed class Params : nn.Module
    {
        private readonly Parameter weight = new(tensor(W0.Select(v => (float)v).ToArray()).view(2, 3));
        private readonly Parameter bias = new(zeros(3));
        private readonly Parameter unit_emb = new(tensor(E0.Select(v => (float)v).ToArray()).view(3, 2));

        public Params() : base(nameof(Params)) => RegisterComponents();

        public Tensor Loss()
        {
            var c = tensor(C.Select(v => (float)v).ToArray()).view(2, 3);
            var d = tensor(D.Select(v => (float)v).ToArray());
            var f = tensor(F.Select(v => (float)v).ToArray());
            return 0.5f * (c * weight.square()).sum() + (d * bias).sum() + (f * unit_emb[0]).sum();
        }

        public float[] Of(string name) => Values(named_parameters().Single(p => p.name == name).parameter.detach());
    }

    /// One tensor's state in the hand computation.
    private sealed class Expected(double[] w, int rowWidth, bool sparse)
    {
        public double[] W { get; } = (double[])w.Clone();
        private readonly double[] _m = new double[w.Length];
        private readonly double[] _v = new double[w.Length];

        public void Step(double[] g)
        {
            for (int i = 0; i < W.Length; i++)
            {
                _m[i] = B1 * _m[i] + (1 - B1) * g[i];
                _v[i] = B2 * _v[i] + (1 - B2) * g[i] * g[i];
            }
            var live = new bool[W.Length];
            for (int r = 0; r < W.Length / rowWidth; r++)
            {
                bool touched = !sparse || Enumerable.Range(r * rowWidth, rowWidth).Any(i => g[i] != 0);
                for (int i = r * rowWidth; i < (r + 1) * rowWidth; i++) live[i] = touched;
            }
            bool partial = live.Any(l => !l);
            for (int i = 0; i < W.Length; i++)
                if (!live[i]) _m[i] = _v[i] = 0;
            var u = new double[W.Length];
            for (int i = 0; i < W.Length; i++) u[i] = _m[i] / (Math.Sqrt(_v[i]) + Eps) + Wd * W[i];
            double wn = Math.Min(10, Math.Sqrt(W.Sum(x => x * x)));
            double un = Math.Sqrt(u.Sum(x => x * x));
            double trust = wn == 0 || un == 0 ? 1 : wn / un;
            for (int i = 0; i < W.Length; i++)
                if (!partial || live[i]) W[i] -= Lr * trust * u[i];
        }
    }

    [Fact]
    public void One_and_two_steps_match_the_hand_computed_lamb_update()
    {
        UseOneThread();
        using var model = new Params();
        using var optimizer = TrainingLoop.CreateTrainingOptimizer(model, new TrainingOptions
        {
            Optimizer = TrainingOptimizer.Lamb, LearningRate = Lr, WeightDecay = Wd,
        });
        Assert.IsType<LambOptimizer>(optimizer);

        var weight = new Expected(W0, 3, sparse: false);
        var bias = new Expected(new double[3], 3, sparse: false);
        var emb = new Expected(E0, 2, sparse: true);
        for (int step = 1; step <= 2; step++)
        {
            // Gradients at the current (hand-tracked) weights.
            weight.Step(weight.W.Select((w, i) => C[i] * w).ToArray());
            bias.Step(D);
            emb.Step([F[0], F[1], 0, 0, 0, 0]);

            optimizer.ZeroGrad();
            using (var loss = model.Loss()) loss.backward();
            optimizer.Step();

            AssertNear(weight.W, model.Of("weight"), $"weight after step {step}");
            AssertNear(bias.W, model.Of("bias"), $"bias after step {step}");
            AssertNear(emb.W, model.Of("unit_emb"), $"unit_emb after step {step}");
        }
        // The rows of the embedding that got no gradient never moved (sparse update), the zero-norm bias did (trust 1).
        Assert.Equal(E0.Skip(2).Select(v => (float)v), model.Of("unit_emb").Skip(2));
        Assert.NotEqual(0f, model.Of("bias")[0]);
    }

    [Fact]
    public void State_saved_and_loaded_continues_exactly()
    {
        UseOneThread();
        var options = new TrainingOptions { Optimizer = TrainingOptimizer.Lamb, LearningRate = Lr, WeightDecay = Wd };
        using var a = new Params();
        using var optA = TrainingLoop.CreateTrainingOptimizer(a, options);
        Step(a, optA);
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) optA.Save(writer);
        Step(a, optA);

        using var b = new Params();
        using var optB = TrainingLoop.CreateTrainingOptimizer(b, options);
        Step(b, optB);
        buffer.Position = 0;
        using (var reader = new BinaryReader(buffer)) optB.Load(reader);
        Step(b, optB);
        AssertSameWeights(a, b);

        using var c = new Params(); // without the restored moments the second step differs
        using var optC = TrainingLoop.CreateTrainingOptimizer(c, options);
        Step(c, optC);
        using var optFresh = TrainingLoop.CreateTrainingOptimizer(c, options);
        Step(c, optFresh);
        Assert.NotEqual(a.Of("weight"), c.Of("weight"));
    }

    private static void Step(Params model, ITrainingOptimizer optimizer)
    {
        optimizer.ZeroGrad();
        using (var loss = model.Loss()) loss.backward();
        optimizer.Step();
    }

    private static void AssertNear(double[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 2e-6 * Math.Max(1, Math.Abs(expected[i])),
                $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
    }
}
