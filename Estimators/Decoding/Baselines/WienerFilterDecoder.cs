using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNeuro.Loaders;
using MLNeuro.Transforms;

namespace MLNeuro.Estimators;

/// <summary>
/// The classic linear decoding baseline: ridge regression (a Wiener filter) from lagged binned spike counts to behaviour,
/// one model per session (units differ across sessions) and per channel, trained with ML.NET's SDCA regression trainer
/// (squared loss, L2 only). Features: each unit's square-rooted counts in <see cref="WienerFilterOptions.Lags"/> bins
/// ending with the bin that holds the prediction time, z-scored per unit on the session's training samples. Targets:
/// channels z-scored over all training sessions (<see cref="ChannelNormalization"/>); predictions are in original units.
/// </summary>
/// <remarks>
/// Training reads the behaviour of the split's Train intervals (samples with a NaN target are skipped for that channel)
/// and Validation intervals, never of the Evaluation intervals. The ridge strength of each session and channel is the
/// grid value with the lowest validation MSE; a session without validation samples uses
/// <see cref="WienerFilterOptions.DefaultRidge"/>. Bins before the recording's start count as zero.
/// </remarks>
/// <example><code>
/// var splits = recordings.Select(r => DecodingSplit.Of(r, new DecodingSplitOptions { ValidationFraction = 0.1 })).ToArray();
/// var wiener = WienerFilterDecoder.Train(recordings, splits, ["x", "y"], new WienerFilterOptions());
/// var evaluation = DecodingEvaluator.Evaluate(wiener, recordings.Zip(splits, (r, s) => (r, s.Evaluation)));
/// wiener.ToArtifact("data/").Write("wiener.zip");
/// </code></example>
public sealed class WienerFilterDecoder : IBehaviorDecoder
{
    /// <summary>The manifest's model kind of Wiener-filter artifacts.</summary>
    public const string ModelKind = "wiener";

    private readonly WienerFilterState _state;
    private readonly ITransformer[][] _models;
    private readonly MLContext _ml;

    private WienerFilterDecoder(WienerFilterState state, ITransformer[][] models, MLContext ml)
    {
        _state = state;
        _models = models;
        _ml = ml;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Channels => _state.Channels;

    /// <summary>The settings it was trained with.</summary>
    public WienerFilterOptions Options => _state.Options;

    /// <summary>The sessions it can decode, in training order.</summary>
    public IReadOnlyList<string> Sessions => _state.Sessions.Select(s => s.Featurizer.SessionId).ToArray();

    /// <summary>The L2 strength chosen for each channel of a session (on validation, or the default).</summary>
    /// <example><code>
    /// Console.WriteLine(string.Join(", ", wiener.RidgeStrengths("sub-01_ses-01")));
    /// </code></example>
    public IReadOnlyList<double> RidgeStrengths(string sessionId) =>
        _state.Sessions[BaselineSessions.IndexOf(Featurizers, sessionId, "Wiener filter")].Ridge;

    private IReadOnlyList<SessionFeaturizer> Featurizers => _state.Sessions.Select(s => s.Featurizer).ToArray();

    /// <summary>Trains one ridge model per session and channel.</summary>
    /// <param name="recordings">The sessions, each with behaviour holding <paramref name="channels"/>.</param>
    /// <param name="splits">Each recording's split (same order); only Train and Validation behaviour is read.</param>
    /// <param name="channels">Behaviour channels to decode.</param>
    /// <param name="options">Features, ridge grid and seed.</param>
    /// <param name="progress">Receives (fits done, fits total): one fit per session, channel and ridge strength tried.</param>
    /// <param name="cancellationToken">Checked between fits.</param>
    public static WienerFilterDecoder Train(IReadOnlyList<Recording> recordings, IReadOnlyList<DecodingSplit> splits, IReadOnlyList<string> channels,
        WienerFilterOptions options, IProgress<WorkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var data = BaselineTrainingSet.Read(recordings, splits, channels, options.BinSeconds, options.Lags, options.LeadBins, cancellationToken);
        var ml = new MLContext(options.Seed);
        int c = channels.Count;
        int total = data.Featurizers.Select((_, s) => c * (data.Validation[s].Count > 0 ? options.RidgeGrid.Count : 1)).Sum(), done = 0;
        var sessions = new WienerSessionState[data.Featurizers.Count];
        var models = new ITransformer[sessions.Length][];
        for (int s = 0; s < sessions.Length; s++)
        {
            var featurizer = data.Featurizers[s];
            int width = featurizer.Width;
            var train = data.Train[s];
            var validation = data.Validation[s];
            var trainRows = RidgeRegression.Rows(train.Features, train.Count, width);
            var validationRows = RidgeRegression.Rows(validation.Features, validation.Count, width);
            var grid = validation.Count > 0 ? options.RidgeGrid : [options.DefaultRidge];
            var ridge = new double[c];
            var mse = new double[c];
            models[s] = new ITransformer[c];
            for (int k = 0; k < c; k++)
            {
                var view = ml.Data.Cache(RidgeRegression.View(ml, trainRows, train.Targets, c, k, width));
                if (view.GetRowCount() is 0)
                    throw new ArgumentException($"session '{featurizer.SessionId}': channel '{channels[k]}' has no finite value in the training intervals", nameof(recordings));
                var validationView = validation.Count > 0 ? RidgeRegression.View(ml, validationRows, validation.Targets, c, k, width) : null;
                double best = double.PositiveInfinity;
                mse[k] = double.NaN;
                foreach (double l2 in grid)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var model = RidgeRegression.Fit(ml, view, l2, options.MaxIterations);
                    double error = validationView is null ? double.NaN : MeanSquaredError(model, validationView);
                    // Without validation the one grid value wins; with it, the lowest error (ties: the first, i.e. weaker ridge).
                    if (models[s][k] is null || error < best)
                    {
                        models[s][k] = model;
                        ridge[k] = l2;
                        mse[k] = error;
                        best = error;
                    }
                    progress?.Report(new WorkProgress("sessions", ++done, total));
                }
            }
            sessions[s] = new WienerSessionState(featurizer, ridge, mse, Enumerable.Range(0, c).Select(k => WienerFilterState.EntryName(s, k)).ToArray());
        }
        return new WienerFilterDecoder(new WienerFilterState(options, channels.ToArray(), data.Normalization, sessions), models, ml);
    }

    private static double MeanSquaredError(ITransformer model, IDataView view)
    {
        var scored = model.Transform(view);
        var labels = scored.GetColumn<float>(nameof(RidgeRegression.Row.Label)).ToArray();
        var scores = scored.GetColumn<float>("Score").ToArray();
        double sum = 0;
        for (int i = 0; i < labels.Length; i++) sum += (double)(labels[i] - scores[i]) * (labels[i] - scores[i]);
        return labels.Length == 0 ? double.NaN : sum / labels.Length;
    }

    /// <inheritdoc />
    /// <remarks>Throws <see cref="ArgumentException"/> naming the session and the sessions it knows when the recording's
    /// session was not trained on.</remarks>
    public void Predict(Recording recording, Interval interval, ReadOnlySpan<double> times, Span<float> destination)
    {
        int c = Channels.Count;
        int s = BaselineSessions.ForPrediction(Featurizers, recording, times.Length, destination.Length, c, "Wiener filter");
        if (s < 0) return;
        var featurizer = _state.Sessions[s].Featurizer;
        var features = featurizer.Features(recording, times);
        var view = RidgeRegression.View(_ml, RidgeRegression.Rows(features, times.Length, featurizer.Width), featurizer.Width);
        for (int k = 0; k < c; k++)
        {
            var scores = RidgeRegression.Score(_models[s][k], view);
            Debug.Assert(scores.Length == times.Length);
            for (int i = 0; i < scores.Length; i++) destination[i * c + k] = scores[i];
        }
        _state.Normalization.Denormalize(destination[..(times.Length * c)], destination[..(times.Length * c)]);
    }

    /// <summary>
    /// The decoder as a model artifact (kind <see cref="ModelKind"/>): the manifest's options hold the settings, channels,
    /// target normalisation and each session's feature scaling and chosen strengths; every session and channel's ML.NET
    /// model (<c>mlContext.Model.Save</c>) is an extra entry <c>wiener/session-{s}/channel-{k}.zip</c>. There are no
    /// TorchSharp weights: <c>weights.safetensors</c> is the empty safetensors file (an 8-byte header length and the
    /// header <c>{}</c>).
    /// </summary>
    /// <param name="datasetPath">Dataset the model was trained on, recorded in the provenance; null if none.</param>
    public ModelArtifact ToArtifact(string? datasetPath = null)
    {
        var extras = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (int s = 0; s < _state.Sessions.Length; s++)
            for (int k = 0; k < Channels.Count; k++)
                extras[_state.Sessions[s].ModelEntries[k]] = RidgeRegression.Save(_ml, _models[s][k], _state.Sessions[s].Featurizer.Width);
        var manifest = new ModelManifest(ModelKind, _state.ToJson(), ModelProvenance.Now(datasetPath, seed: Options.Seed));
        return new ModelArtifact(manifest, EmptySafetensors.Bytes, extras: extras);
    }

    /// <summary>A decoder from an artifact written by <see cref="ToArtifact"/>; throws <see cref="InvalidDataException"/> for another model kind.</summary>
    /// <example><code>
    /// var wiener = WienerFilterDecoder.FromArtifact(ModelArtifact.Read("wiener.zip"));
    /// </code></example>
    public static WienerFilterDecoder FromArtifact(ModelArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        artifact.RequireKind(ModelKind);
        var state = WienerFilterState.FromJson(artifact.Manifest.OptionsJson);
        var ml = new MLContext(state.Options.Seed);
        var models = state.Sessions.Select(s => s.ModelEntries.Select(e => RidgeRegression.Load(ml, artifact.Extra(e))).ToArray()).ToArray();
        return new WienerFilterDecoder(state, models, ml);
    }
}
