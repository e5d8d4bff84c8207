using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>What <see cref="MlpTraining.Run"/> kept: the step whose weights were chosen and their validation MSE (NaN without validation).</summary>
internal sealed record MlpTrainingResult(int ChosenStep, double ValidationMse);

/// <summary>
/// Trains a <see cref="MlpDecoderNetwork"/> with MLNeuro's training loop: each step a batch of training samples drawn
/// uniformly over all sessions with a <see cref="Random"/> that is a function of the seed and the step only
/// (<see cref="StepRandom.For"/>), dropout masks from the loop's generator, MSE on normalised targets with
/// NaN targets masked. Every <see cref="MlpOptions.ValidationEverySteps"/> steps and at the end the validation MSE is
/// measured and the weights with the lowest one are kept.
/// </summary>
internal static class MlpTraining
{
    private const int ScoringChunk = 4096;

    public static MlpTrainingResult Run(MlpDecoderNetwork network, BaselineTrainingSet data, MlpOptions options,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        int sessions = data.Featurizers.Count;
        int channels = data.Normalization.ChannelCount;
        using var scope = NewDisposeScope();
        var features = new Tensor[sessions];
        var targets = new Tensor[sessions];
        var offsets = new long[sessions + 1];
        for (int s = 0; s < sessions; s++)
        {
            var train = data.Train[s];
            features[s] = tensor(train.Features, [train.Count, data.Featurizers[s].Width]);
            targets[s] = tensor(train.Targets, [train.Count, channels]);
            offsets[s + 1] = offsets[s] + train.Count;
        }
        long total = offsets[^1];
        bool validate = data.Validation.Any(v => v.Count > 0);
        double best = double.PositiveInfinity;
        int bestStep = -1;
        float[][]? bestWeights = null;
        long seed = options.Training.Seed;

        void Consider(int step)
        {
            double mse = ValidationMse(network, data);
            if (mse < best)
            {
                best = mse;
                bestStep = step;
                bestWeights = network.parameters().Select(p => p.detach().cpu().data<float>().ToArray()).ToArray();
            }
        }

        TrainingLoop.Run(network, (step, generator) =>
        {
            if (validate && step > 0 && step % options.ValidationEverySteps == 0) Consider(step);
            var (parts, batchTargets) = Batch(StepRandom.For(seed, step), options.BatchSize, offsets, total, features, targets);
            return MaskedMse(network.Forward(parts, generator), batchTargets);
        }, options.Training, progress, cancellationToken);

        int steps = options.Training.TotalSteps;
        if (!validate) return new MlpTrainingResult(steps, double.NaN);
        Consider(steps);
        if (bestStep != steps) Restore(network, bestWeights!);
        return new MlpTrainingResult(bestStep, best);
    }

    /// Draws the batch's global sample indices, then gathers them session by session (sorted within a session).
    private static (List<(int Session, Tensor Features)> Parts, Tensor Targets) Batch(Random random, int size, long[] offsets, long total,
        Tensor[] features, Tensor[] targets)
    {
        var bySession = new List<long>[features.Length];
        for (int s = 0; s < features.Length; s++) bySession[s] = new List<long>();
        for (int i = 0; i < size; i++)
        {
            long index = random.NextInt64(total);
            int s = Array.BinarySearch(offsets, index);
            s = s >= 0 ? s : ~s - 1;
            // BinarySearch lands on the last of equal offsets only by chance: skip sessions without samples.
            while (offsets[s + 1] <= index) s++;
            bySession[s].Add(index - offsets[s]);
        }
        var parts = new List<(int, Tensor)>();
        var parted = new List<Tensor>();
        for (int s = 0; s < features.Length; s++)
        {
            if (bySession[s].Count == 0) continue;
            bySession[s].Sort();
            var rows = tensor(bySession[s].ToArray());
            parts.Add((s, features[s].index_select(0, rows)));
            parted.Add(targets[s].index_select(0, rows));
        }
        return (parts, parted.Count == 1 ? parted[0] : cat(parted, 0));
    }

    /// Mean squared error over the finite targets (NaN targets contribute nothing).
    internal static Tensor MaskedMse(Tensor predicted, Tensor targets)
    {
        var finite = targets.isnan().logical_not();
        var difference = where(finite, predicted - targets, zeros_like(predicted));
        return difference.square().sum() / finite.sum().clamp_min(1).to_type(predicted.dtype);
    }

    /// MSE over every finite validation target of every session, in normalised units, in eval mode without gradients.
    private static double ValidationMse(MlpDecoderNetwork network, BaselineTrainingSet data)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        network.eval();
        double sum = 0;
        long count = 0;
        int channels = data.Normalization.ChannelCount;
        for (int s = 0; s < data.Validation.Count; s++)
        {
            var part = data.Validation[s];
            int width = data.Featurizers[s].Width;
            for (int start = 0; start < part.Count; start += ScoringChunk)
            {
                int n = Math.Min(ScoringChunk, part.Count - start);
                using var x = tensor(part.Features.AsSpan(start * width, n * width).ToArray(), [n, width]);
                using var predicted = network.Forward(s, x);
                var p = predicted.data<float>().ToArray();
                for (int i = 0; i < p.Length; i++)
                {
                    float y = part.Targets[start * channels + i];
                    if (float.IsNaN(y)) continue;
                    sum += (double)(p[i] - y) * (p[i] - y);
                    count++;
                }
            }
        }
        network.train();
        return count == 0 ? double.NaN : sum / count;
    }

    private static void Restore(MlpDecoderNetwork network, float[][] weights)
    {
        using var noGrad = no_grad();
        int i = 0;
        foreach (var parameter in network.parameters())
        {
            using var source = tensor(weights[i++], parameter.shape);
            parameter.copy_(source);
        }
    }
}
