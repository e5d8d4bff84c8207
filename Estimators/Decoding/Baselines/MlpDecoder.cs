using MLNeuro.Loaders;
using MLNeuro.Transforms;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// A nonlinear decoding baseline: a TorchSharp MLP on the same lagged binned-count features as
/// <see cref="WienerFilterDecoder"/> (square-rooted counts, z-scored per unit per session). One input layer per session
/// (sessions have their own units) feeds a trunk shared by all sessions, so the behaviour mapping is learned from every
/// session's data, like POYO's shared trunk. Trained with MLNeuro's training loop on MSE of normalised targets (NaN
/// targets masked); the number of steps is chosen on the split's validation intervals.
/// </summary>
/// <remarks>
/// Training reads the behaviour of the Train and Validation intervals only. Bins before the recording's start count as
/// zero. Everything random derives from
/// <see cref="TrainingOptions.Seed"/> of <see cref="MlpOptions.Training"/>: initial weights, batches (a function of seed
/// and step) and dropout masks (the loop's generator). With one torch thread the same seed gives identical predictions.
/// </remarks>
/// <example><code>
/// var splits = recordings.Select(r => DecodingSplit.Of(r, new DecodingSplitOptions { ValidationFraction = 0.1 })).ToArray();
/// using var mlp = MlpDecoder.Train(recordings, splits, ["x", "y"], new MlpOptions());
/// Console.WriteLine(DecodingEvaluator.Evaluate(mlp, recordings.Zip(splits, (r, s) => (r, s.Evaluation))).MeanSessionR2);
/// mlp.ToArtifact("data/").Write("mlp.zip");
/// </code></example>
public sealed class MlpDecoder : IBehaviorDecoder, IDisposable
{
    /// <summary>The manifest's model kind of MLP-decoder artifacts.</summary>
    public const string ModelKind = "mlp";

    private readonly MlpDecoderState _state;
    private readonly MlpDecoderNetwork _network;

    private MlpDecoder(MlpDecoderState state, MlpDecoderNetwork network)
    {
        _state = state;
        _network = network;
        _network.eval();
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Channels => _state.Channels;

    /// <summary>The settings it was trained with.</summary>
    public MlpOptions Options => _state.Options;

    /// <summary>The sessions it can decode, in training order.</summary>
    public IReadOnlyList<string> Sessions => _state.Sessions.Select(s => s.SessionId).ToArray();

    /// <summary>The training step whose weights were kept (the lowest validation MSE; the last step without validation).</summary>
    public int ChosenStep => _state.ChosenStep;

    /// <summary>Trains the MLP on every session's training samples.</summary>
    /// <param name="recordings">The sessions, each with behaviour holding <paramref name="channels"/>.</param>
    /// <param name="splits">Each recording's split (same order); only Train and Validation behaviour is read.</param>
    /// <param name="channels">Behaviour channels to decode.</param>
    /// <param name="options">Features, network, batch and training loop settings.</param>
    /// <param name="progress">Receives a report after every step.</param>
    /// <param name="cancellationToken">Cancels between steps (<see cref="OperationCanceledException"/>).</param>
    public static MlpDecoder Train(IReadOnlyList<Recording> recordings, IReadOnlyList<DecodingSplit> splits, IReadOnlyList<string> channels,
        MlpOptions options, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        TorchRuntime.EnsureAvailable();
        var data = BaselineTrainingSet.Read(recordings, splits, channels, options.BinSeconds, options.Lags, options.LeadBins, cancellationToken);
        var network = Network(options, data.Featurizers, channels.Count);
        try
        {
            var result = MlpTraining.Run(network, data, options, progress, cancellationToken);
            var state = new MlpDecoderState(options, channels.ToArray(), data.Normalization, data.Featurizers.ToArray(), result.ChosenStep, result.ValidationMse);
            return new MlpDecoder(state, network);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private static MlpDecoderNetwork Network(MlpOptions options, IReadOnlyList<SessionFeaturizer> sessions, int channels)
    {
        using var init = new Generator((ulong)options.Training.Seed);
        return new MlpDecoderNetwork(sessions.Select(s => s.Width).ToArray(), options.HiddenDim, options.HiddenLayers, channels, options.Dropout, init);
    }

    /// <inheritdoc />
    /// <remarks>Throws <see cref="ArgumentException"/> naming the session and the sessions it knows when the recording's
    /// session was not trained on.</remarks>
    public void Predict(Recording recording, Interval interval, ReadOnlySpan<double> times, Span<float> destination)
    {
        int c = Channels.Count;
        int s = BaselineSessions.ForPrediction(_state.Sessions, recording, times.Length, destination.Length, c, "MLP decoder");
        if (s < 0) return;
        var featurizer = _state.Sessions[s];
        var features = featurizer.Features(recording, times);
        // no_grad is per thread: open it here, on the thread that runs the model.
        using (no_grad())
        using (NewDisposeScope())
        {
            var x = tensor(features, [times.Length, featurizer.Width]);
            _network.Forward(s, x).data<float>().CopyTo(destination[..(times.Length * c)]);
        }
        _state.Normalization.Denormalize(destination[..(times.Length * c)], destination[..(times.Length * c)]);
    }

    /// <summary>
    /// The decoder as a model artifact (kind <see cref="ModelKind"/>): the network's weights as safetensors (keys
    /// <c>inputs.{s}.*</c>, <c>hidden.{i}.*</c>, <c>output.*</c>) and, in the manifest's options, the settings, channels,
    /// target normalisation, each session's feature scaling and the chosen step.
    /// </summary>
    /// <param name="datasetPath">Dataset the model was trained on, recorded in the provenance; null if none.</param>
    public ModelArtifact ToArtifact(string? datasetPath = null)
    {
        var manifest = new ModelManifest(ModelKind, _state.ToJson(), ModelProvenance.Now(datasetPath, seed: Options.Training.Seed));
        return ModelArtifact.FromModule(_network, manifest);
    }

    /// <summary>A decoder from an artifact written by <see cref="ToArtifact"/>; throws <see cref="InvalidDataException"/> for another model kind.</summary>
    /// <example><code>
    /// using var mlp = MlpDecoder.FromArtifact(ModelArtifact.Read("mlp.zip"));
    /// </code></example>
    public static MlpDecoder FromArtifact(ModelArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        artifact.RequireKind(ModelKind);
        TorchRuntime.EnsureAvailable();
        var state = MlpDecoderState.FromJson(artifact.Manifest.OptionsJson);
        var network = Network(state.Options, state.Sessions, state.Channels.Length);
        try
        {
            artifact.LoadWeightsInto(network);
        }
        catch
        {
            network.Dispose();
            throw;
        }
        return new MlpDecoder(state, network);
    }

    /// <summary>Releases the network's native memory.</summary>
    public void Dispose() => _network.Dispose();
}
