using TorchSharp.Modules;

namespace MLNeuro.Estimators;

/// <summary>
/// What the training loop needs from an optimizer: set the step's learning rate (and Adam's beta1 when a schedule
/// cycles it), step, and save or restore its state inside a <see cref="TrainingCheckpoint"/>.
/// </summary>
internal interface ITrainingOptimizer : IDisposable
{
    /// <summary>The parameters it updates (for gradient clipping).</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Sets the learning rate of every group for the next step.</summary>
    void SetLearningRate(double learningRate);

    /// <summary>Sets Adam's first-moment decay of every group for the next step.</summary>
    void SetBeta1(double beta1);

    void ZeroGrad();

    void Step();

    /// <summary>Writes the state (moments, step counts, group options) so that <see cref="Load"/> continues exactly.</summary>
    void Save(BinaryWriter writer);

    void Load(BinaryReader reader);
}
