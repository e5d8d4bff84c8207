using TorchSharp.Modules;

namespace MLNeuro.Estimators;

/// <summary>
/// TorchSharp's AdamW behind <see cref="ITrainingOptimizer"/>. Its state goes through TorchSharp's own
/// save_state_dict, byte for byte what checkpoints held before LAMB existed, so those checkpoints still resume.
/// </summary>
internal sealed class AdamWTrainingOptimizer(AdamW inner) : ITrainingOptimizer
{
    private readonly List<Parameter> _parameters = inner.parameters().ToList();

    public IReadOnlyList<Parameter> Parameters => _parameters;

    public void SetLearningRate(double learningRate)
    {
        foreach (var group in inner.ParamGroups) group.LearningRate = learningRate;
    }

    public void SetBeta1(double beta1)
    {
        foreach (var group in inner.ParamGroups.Cast<AdamW.ParamGroup>()) group.Options.beta1 = beta1;
    }

    public void ZeroGrad() => inner.zero_grad();

    public void Step() => inner.step();

    public void Save(BinaryWriter writer) => inner.save_state_dict(writer);

    public void Load(BinaryReader reader) => inner.load_state_dict(reader);

    public void Dispose() => inner.Dispose();
}
