using MLNeuro.Loaders;
using MLNeuro.Transforms;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// A trained POYO decoder: the network, its unit and session vocabularies and the behaviour normalisation. Predicts
/// behaviour with windows of <see cref="PoyoDecodingOptions.WindowSeconds"/> at <see cref="PoyoDecodingOptions.EvaluationStrideSeconds"/>
/// stride over each interval, averaging the predictions of overlapping windows (stitching).
/// </summary>
/// <example><code>
/// using var decoder = PoyoDecoder.FromArtifact(ModelArtifact.Read("poyo.zip"));
/// var evaluation = DecodingEvaluator.Evaluate(decoder, recordings.Select(r => (r, DecodingSplit.Of(r, decoder.Options.Split).Evaluation)));
/// </code></example>
public sealed class PoyoDecoder : IBehaviorDecoder, IDisposable
{
    /// <summary>The manifest's model kind for POYO artifacts.</summary>
    public const string ModelKind = "poyo";

    private readonly Dictionary<string, PoyoSession> _sessions = new(StringComparer.Ordinal);
    private readonly PoyoBatchBuilder _builder;

    internal PoyoDecoder(PoyoModel model, PoyoDecodingOptions options, Vocabulary units, Vocabulary sessions, ChannelNormalization normalization)
    {
        Model = model;
        Options = options;
        Units = units;
        Sessions = sessions;
        Normalization = normalization;
        _builder = new PoyoBatchBuilder(options);
    }

    /// <summary>The options the decoder was trained with.</summary>
    public PoyoDecodingOptions Options { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> Channels => Options.Channels;

    /// <summary>Sessions the decoder has embeddings for.</summary>
    public IReadOnlyList<string> SessionIds => Sessions.Keys;

    /// <summary>Units the decoder has embeddings for ("session/unit").</summary>
    public IReadOnlyList<string> UnitKeys => Units.Keys;

    /// <summary>Per-channel normalisation of the readout.</summary>
    public ChannelNormalization Normalization { get; }

    internal PoyoModel Model { get; }

    internal Vocabulary Units { get; }

    internal Vocabulary Sessions { get; }

    /// <summary>The model's parameter count.</summary>
    public long ParameterCount => Model.parameters().Sum(p => p.numel());

    /// <inheritdoc/>
    public void Predict(Recording recording, Interval interval, ReadOnlySpan<double> times, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(recording);
        int c = Channels.Count;
        if (destination.Length != times.Length * c)
            throw new ArgumentException($"destination holds {destination.Length} values for {times.Length} times x {c} channels", nameof(destination));
        var session = SessionFor(recording);
        var starts = WindowStarts(interval, recording);
        var sum = new double[times.Length * c];
        var hits = new int[times.Length];
        var timeArray = times.ToArray();
        Model.eval();
        using var noGrad = no_grad();
        for (int from = 0; from < starts.Count; from += Options.BatchSize)
        {
            var windows = new List<PoyoWindow>();
            var ranges = new List<(int First, int Count)>();
            for (int w = from; w < Math.Min(starts.Count, from + Options.BatchSize); w++)
            {
                double start = starts[w];
                int first = TimeSearch.LowerBound(timeArray, start), last = TimeSearch.LowerBound(timeArray, start + Options.WindowSeconds);
                if (last == first) continue;
                windows.Add(new PoyoWindow(session, start, timeArray[first..last]));
                ranges.Add((first, last - first));
            }
            if (windows.Count == 0) continue;
            using var batch = _builder.Build(windows);
            using var output = Model.forward(batch);
            var values = output.data<float>().ToArray();
            long q = output.shape[1];
            for (int w = 0; w < windows.Count; w++)
            {
                var (first, count) = ranges[w];
                for (int k = 0; k < count; k++)
                {
                    hits[first + k]++;
                    for (int ch = 0; ch < c; ch++) sum[(first + k) * c + ch] += values[(w * q + k) * c + ch];
                }
            }
        }
        for (int i = 0; i < times.Length; i++)
        {
            if (hits[i] == 0) throw new InvalidOperationException($"time {times[i]} s lies in no window of interval [{interval.Start}, {interval.End}) s");
            for (int ch = 0; ch < c; ch++) destination[i * c + ch] = (float)(sum[i * c + ch] / hits[i]);
        }
        Normalization.Denormalize(destination, destination);
    }

    /// <summary>Window starts covering <paramref name="interval"/> (see the static overload).</summary>
    internal List<double> WindowStarts(Interval interval, Recording recording) => WindowStarts(interval, recording, Options);

    /// <summary>
    /// Window starts covering [start, end) of <paramref name="interval"/>: every stride from the start, and a last window
    /// ending at the interval's end; an interval shorter than a window gets one window, kept inside the recording.
    /// </summary>
    internal static List<double> WindowStarts(Interval interval, Recording recording, PoyoDecodingOptions options)
    {
        double w = options.WindowSeconds, stride = options.EvaluationStrideSeconds;
        if (recording.DurationSeconds < w)
            throw new ArgumentException($"session '{recording.SessionId}' lasts {recording.DurationSeconds} s, shorter than one window ({w} s)", nameof(recording));
        var starts = new List<double>();
        if (interval.DurationSeconds <= w)
        {
            starts.Add(Math.Clamp(interval.Start, recording.StartSeconds, recording.EndSeconds - w));
            return starts;
        }
        for (int k = 0; interval.Start + k * stride + w < interval.End; k++) starts.Add(interval.Start + k * stride);
        starts.Add(interval.End - w);
        return starts;
    }

    private PoyoSession SessionFor(Recording recording)
    {
        if (_sessions.TryGetValue(recording.SessionId, out var known) && ReferenceEquals(known.Recording, recording)) return known;
        if (!Sessions.Contains(recording.SessionId))
            throw new KeyNotFoundException(
                $"the decoder has no embedding for session '{recording.SessionId}' (it knows {string.Join(", ", Sessions.Keys)}): adapt it to the session first (unit identification)");
        var session = new PoyoSession(recording, Sessions.IndexOf(recording.SessionId, "session"), PoyoSession.RowsOf(recording, Units), null, Channels);
        _sessions[recording.SessionId] = session;
        return session;
    }

    /// <summary>
    /// Appends the sessions and units of <paramref name="recordings"/> the vocabularies lack and draws their embedding
    /// rows from a generator seeded with <paramref name="seed"/>; known rows are untouched.
    /// </summary>
    internal void AddVocabulary(IReadOnlyList<Recording> recordings, long seed)
    {
        int newUnits = 0, newSessions = 0;
        foreach (var recording in recordings)
        {
            if (!Sessions.Contains(recording.SessionId)) { Sessions.Add(recording.SessionId); newSessions++; }
            foreach (var unit in recording.Units)
            {
                var key = Vocabulary.UnitKey(recording.SessionId, unit.UnitId);
                if (Units.Contains(key)) continue;
                Units.Add(key);
                newUnits++;
            }
        }
        using var generator = new Generator((ulong)seed);
        Model.UnitEmbedding.Extend(newUnits, generator);
        Model.SessionEmbedding.Extend(newSessions, generator);
        _sessions.Clear();
    }

    /// <summary>The decoder as a model artifact (kind <see cref="ModelKind"/>).</summary>
    /// <param name="datasetPath">Dataset it was trained on, for provenance.</param>
    /// <param name="seed">Training seed, for provenance.</param>
    public ModelArtifact ToArtifact(string? datasetPath, long? seed)
    {
        var state = new PoyoArtifactState(Options, Units.Keys.ToArray(), Sessions.Keys.ToArray(), Normalization.Mean, Normalization.Std);
        var manifest = new ModelManifest(ModelKind, state.ToJson(), ModelProvenance.Now(datasetPath, seed: seed));
        // The ONNX graph scores one window per row (see PoyoModel.ExportOnnx).
        return ModelArtifact.FromModule(Model, manifest, Model.ExportOnnx(Normalization.Mean, Normalization.Std));
    }

    /// <summary>The sessions a POYO artifact has embeddings for (reads the manifest only).</summary>
    public static IReadOnlyList<string> SessionsOf(ModelArtifact artifact) => PoyoArtifactState.FromArtifact(artifact).Sessions;

    /// <summary>The key of a unit in the unit vocabulary: "session/unit".</summary>
    public static string UnitKey(string sessionId, string unitId) => Vocabulary.UnitKey(sessionId, unitId);

    /// <summary>The unit keys ("session/unit") a POYO artifact has embeddings for (reads the manifest only).</summary>
    public static IReadOnlyList<string> UnitsOf(ModelArtifact artifact) => PoyoArtifactState.FromArtifact(artifact).Units;

    /// <summary>The behaviour channels a POYO artifact decodes (reads the manifest only).</summary>
    public static IReadOnlyList<string> ChannelsOf(ModelArtifact artifact) => PoyoArtifactState.FromArtifact(artifact).Options.Channels;

    /// <summary>The split a POYO artifact was trained with (reads the manifest only).</summary>
    public static DecodingSplitOptions SplitOf(ModelArtifact artifact) => PoyoArtifactState.FromArtifact(artifact).Options.Split;

    /// <summary>Rebuilds a decoder from its artifact (needs libtorch).</summary>
    public static PoyoDecoder FromArtifact(ModelArtifact artifact)
    {
        var state = PoyoArtifactState.FromArtifact(artifact);
        TorchRuntime.EnsureAvailable();
        using var generator = new Generator(0);
        var model = new PoyoModel(state.Options.Model, state.Units.Length, state.Sessions.Length, state.Options.Channels.Count, state.Options.WindowSeconds, generator);
        artifact.LoadWeightsInto(model);
        model.eval();
        return new PoyoDecoder(model, state.Options, new Vocabulary(state.Units), new Vocabulary(state.Sessions), new ChannelNormalization(state.Mean, state.Std));
    }

    /// <summary>Releases the network.</summary>
    public void Dispose() => Model.Dispose();
}
