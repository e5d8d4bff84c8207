using System.Buffers.Binary;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Import;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// Neuron embeddings from a trained NuCLR artifact: every unit of a dataset embedded by averaging its encoder output
/// over the non-overlapping evaluation windows of its recording, each window seen with the unit's population as context
/// (as in training: by default only the units that spike in the window, split under the training cap into groups of
/// the size training saw; see <see cref="NuclrSamplingOptions.EmbedWithTrainingCap"/>). The result is a <see cref="FeatureTable"/> of the same shape as <c>mlneuro features</c> writes, so
/// <c>mlneuro probe</c> reads it unchanged.
/// </summary>
/// <remarks>
/// <para>Scoring runs the artifact's <c>model.onnx</c> with ONNX Runtime: it is the production graph and needs no
/// libtorch. Windows come from the same tiling the sampler uses for evaluation (whole-domain windows of
/// <see cref="NuclrSamplingOptions.WindowSeconds"/>, or groups of PatchCount intervals in interval mode); a trailing
/// remainder shorter than a window is skipped. Sessions are read and scored one at a time, one window at a time, so
/// memory is bounded by one recording plus one window's counts.</para>
/// <para>ML.NET route: the same graph scores inside an ML.NET pipeline. <see cref="ModelDatasetViews.AsNuclrWindowView(NeuralDataset, ModelArtifact, IProgress{WorkProgress}, CancellationToken)"/>
/// gives one row per window (the same tiling) whose <c>counts</c> column is the window's [units, patches, binsPerPatch]
/// counts flattened row-major as a variable-length <c>float[]</c>; <c>mlContext.Transforms.EmbedNeuronsWithNuclr(artifact)</c>
/// (<see cref="NuclrEmbeddingEstimator"/>) scores it with ML.NET's <c>ApplyOnnxModel</c> into an <c>embedding</c>
/// column of [units, dim] flattened; and <see cref="NuclrWindowView.AverageEmbeddings"/> averages each unit's rows over
/// its windows into exactly what <see cref="Embed"/> returns. The fitted transformer saves and loads with
/// <c>mlContext.Model.Save/Load</c> and needs no libtorch.</para>
/// </remarks>
/// <example><code>
/// var table = NuclrEmbedder.Embed(ModelArtifact.Read("nuclr.zip"), NeuralDataset.Open("data/synth"));
/// table.Write("embeddings.parquet");   // then: mlneuro probe --table embeddings.parquet --label brain_region
/// </code></example>
public static class NuclrEmbedder
{
    /// <summary>Prefix of the feature names: nuclr_000, nuclr_001, ...</summary>
    public const string FeaturePrefix = "nuclr_";

    /// <summary>
    /// Embeds every unit of <paramref name="dataset"/> with the artifact's ONNX encoder. Rows follow the dataset's
    /// session order and each session's unit order, with the label columns of the handcrafted-feature table
    /// (unit_id, session_id, subject_id, brain_region, cell_type, then every unit-metadata column) and
    /// <see cref="NuclrEncoderOptions.Dim"/> features named <c>nuclr_000</c>...
    /// </summary>
    /// <param name="artifact">A NuCLR artifact (model kind "nuclr") with a <c>model.onnx</c> entry.</param>
    /// <param name="dataset">The units to embed.</param>
    /// <param name="progress">Sessions done out of the total.</param>
    /// <param name="ct">Checked between windows.</param>
    /// <exception cref="InvalidDataException">The artifact is not NuCLR, has no ONNX graph, its options disagree, or a
    /// session with units has no complete window (the message names the session).</exception>
    public static FeatureTable Embed(ModelArtifact artifact, NeuralDataset dataset,
        IProgress<WorkProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentNullException.ThrowIfNull(dataset);
        var options = CheckedOptions(artifact);
        var onnx = OnnxBytes(artifact);
        using var sessionOptions = new SessionOptions();
        using var session = new InferenceSession(onnx, sessionOptions);
        using var runOptions = new RunOptions();
        // Artifacts written before populations existed have the counts input only (and options that put every unit in
        // one population, so nothing is lost by not passing the groups).
        bool grouped = session.InputMetadata.ContainsKey(NuclrEncoder.GroupInputName);
        var inputNames = grouped ? new[] { "counts", NuclrEncoder.GroupInputName } : new[] { "counts" };
        var outputNames = new[] { "embedding" };
        return Run(options, dataset, (flat, groups, units) =>
        {
            using var input = OrtValue.CreateTensorValueFromMemory(flat, new long[] { 1, flat.Length });
            using var groupInput = OrtValue.CreateTensorValueFromMemory(groups, new long[] { 1, groups.Length });
            var inputs = grouped ? new[] { input, groupInput } : new[] { input };
            using var outputs = session.Run(runOptions, inputNames, inputs, outputNames);
            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }, Describe(artifact, "ONNX Runtime"), progress, ct);
    }

    /// <summary>
    /// The evaluation windows <see cref="Embed"/> scores for one recording, each a fresh array of the window's
    /// [units, patches, binsPerPatch] counts flattened row-major: the <c>counts</c> input of the artifact's ONNX graph.
    /// Empty when the recording has no complete window. Needs no libtorch. To score by hand, use
    /// <see cref="WindowInputs"/>, which adds each pass's <c>unit_group</c> input.
    /// </summary>
    /// <param name="options">The artifact's options (<see cref="NuclrModelOptions.FromArtifact"/>).</param>
    /// <param name="recording">A recording with its spikes (and intervals in interval mode).</param>
    /// <exception cref="ArgumentException">The recording cannot hold one window; the message names the session.</exception>
    public static IEnumerable<float[]> WindowCounts(NuclrModelOptions options, Recording recording)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(recording);
        var sampler = new NuclrBatchSampler(new[] { recording }, options.Sampling);
        // The sampler refills one buffer per window; callers collect rows, so each gets its own copy.
        return sampler.EvaluationWindowCounts(recording).Select(w => (float[])w.Clone());
    }

    /// <summary>
    /// Every pass <see cref="Embed"/> scores for one recording, in its order (windows in time order, draws within a
    /// window): the window's counts (a fresh [units, patches, binsPerPatch] array, the graph's <c>counts</c> input) and
    /// each unit's population in this pass (the graph's <c>unit_group</c> input; -1 = left out). Score them with
    /// <c>ApplyOnnxModel("embedding", new[] { "counts", "unit_group" }, stream)</c> and average each unit's
    /// [units, dim] slice over the passes where its group is &gt;= 0 to get <see cref="Embed"/>'s row. Needs no libtorch.
    /// </summary>
    /// <param name="options">The artifact's options (<see cref="NuclrModelOptions.FromArtifact"/>).</param>
    /// <param name="recording">A recording with its spikes (and intervals in interval mode).</param>
    public static IEnumerable<NuclrWindowInput> WindowInputs(NuclrModelOptions options, Recording recording)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(recording);
        var plan = new NuclrEmbeddingPlan(recording.SessionId, recording.Units, options.Sampling);
        int window = 0;
        foreach (var counts in WindowCounts(options, recording))
        {
            for (int draw = 0; draw < plan.Draws; draw++) yield return new NuclrWindowInput(counts, plan.Groups(counts, window, draw), window, draw);
            window++;
        }
    }

    /// <summary>
    /// The same embeddings computed eagerly with TorchSharp from the artifact's weights (encoder only; the projector's
    /// <c>projector.</c> weights are skipped). Kept for the ONNX parity test and for debugging a graph export.
    /// </summary>
    internal static FeatureTable EmbedWithTorch(ModelArtifact artifact, NeuralDataset dataset,
        IProgress<WorkProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentNullException.ThrowIfNull(dataset);
        var options = CheckedOptions(artifact);
        TorchRuntime.EnsureAvailable();
        using var encoder = LoadEncoder(artifact, options);
        int dim = options.Encoder.Dim;
        return Run(options, dataset, (flat, groups, units) =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var counts = tensor(flat, new long[] { units, options.Encoder.PatchCount, options.Encoder.BinsPerPatch });
            var result = new float[units * dim];
            // Each population through the encoder on its own: the independent check of the graph's group masking.
            foreach (var group in groups.Where(g => g >= 0).Distinct())
            {
                var members = Enumerable.Range(0, units).Where(u => groups[u] == group).ToArray();
                var rows = counts.index_select(0, tensor(members.Select(u => (long)u).ToArray())).unsqueeze(0);
                var mask = ones(new long[] { 1, members.Length }, ScalarType.Bool);
                var embedded = encoder.forward(rows, mask).reshape(-1).data<float>().ToArray();
                for (int i = 0; i < members.Length; i++) Array.Copy(embedded, i * dim, result, members[i] * dim, dim);
            }
            return result;
        }, Describe(artifact, "TorchSharp"), progress, ct);
    }

    /// <summary>
    /// A module computing the artifact's encoder (forward(counts, unitMask) -> [B, U, D]) with its weights loaded, in
    /// eval mode; the caller disposes it.
    /// </summary>
    internal static nn.Module<Tensor, Tensor, Tensor> LoadEncoder(ModelArtifact artifact, NuclrModelOptions options)
    {
        // The init values are overwritten by the weights; the generator only satisfies the constructor.
        var encoder = new NuclrEncoder(options.Encoder, new Generator(0));
        // Weights saved from the pretraining module (fields `encoder` and `projector`) carry an `encoder.` prefix; a
        // wrapper with the same field name matches them without renaming tensors. The wrapper owns the encoder.
        var keys = SafetensorKeys(artifact.WeightsSafetensors.Span);
        nn.Module<Tensor, Tensor, Tensor> module = keys.Any(k => k.StartsWith("encoder.", StringComparison.Ordinal))
            ? new EncoderOnly(encoder)
            : encoder;
        try
        {
            // The projector's keys are skipped by name and everything else must match exactly (strict), so a renamed
            // or missing encoder parameter still fails loudly.
            var skip = keys.Where(k => k.StartsWith("projector.", StringComparison.Ordinal)).ToList();
            LoadSafetensors(artifact, module, skip);
            module.eval();
            return module;
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    private static void LoadSafetensors(ModelArtifact artifact, nn.Module module, IList<string> skip)
    {
        using var buffer = new MemoryStream(artifact.WeightsSafetensors.ToArray(), writable: false);
        TorchSharp.PyBridge.PyBridgeModuleExtensions.load_safetensors(module, buffer, true, skip, null, true);
    }

    /// <summary>Tensor names in a safetensors blob: an 8-byte little-endian header length, then a JSON object.</summary>
    private static List<string> SafetensorKeys(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < 8) throw new InvalidDataException("the artifact's weights are not safetensors (too short)");
        long length = BinaryPrimitives.ReadInt64LittleEndian(blob);
        if (length < 2 || length > blob.Length - 8) throw new InvalidDataException("the artifact's weights have an invalid safetensors header");
        using var doc = JsonDocument.Parse(blob.Slice(8, (int)length).ToArray());
        return doc.RootElement.EnumerateObject().Select(p => p.Name).Where(n => n != "__metadata__").ToList();
    }

    /// <summary>Holds an encoder under the field name <c>encoder</c>, so state-dict names match the pretraining module's.</summary>
    private sealed class EncoderOnly : nn.Module<Tensor, Tensor, Tensor>
    {
        // Named like the state-dict prefix; disposed with this wrapper.
        private readonly NuclrEncoder encoder;

        public EncoderOnly(NuclrEncoder encoder) : base(nameof(EncoderOnly))
        {
            this.encoder = encoder;
            RegisterComponents();
        }

        public override Tensor forward(Tensor counts, Tensor unitMask) => encoder.forward(counts, unitMask);
    }

    /// <summary>The artifact's options, checked (kind nuclr, valid and mutually consistent); shared by every NuCLR scoring route.</summary>
    internal static NuclrModelOptions CheckedOptions(ModelArtifact artifact) => CheckOptions(NuclrModelOptions.FromArtifact(artifact));

    /// <summary>Checks options for scoring: encoder and sampling valid, and agreeing on the patch count and bin width.</summary>
    internal static NuclrModelOptions CheckOptions(NuclrModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Encoder.Validate();
        options.Sampling.Validate();
        if (options.Sampling.PatchCount != options.Encoder.PatchCount)
            throw new InvalidDataException($"the artifact's sampling has PatchCount {options.Sampling.PatchCount} but its encoder {options.Encoder.PatchCount}");
        if (Math.Abs(options.Sampling.BinSeconds - options.Encoder.BinSeconds) > 1e-12)
            throw new InvalidDataException($"the artifact's sampling has BinSeconds {options.Sampling.BinSeconds} but its encoder {options.Encoder.BinSeconds}");
        return options;
    }

    /// <summary>The artifact's ONNX graph; throws <see cref="InvalidDataException"/> when it has none.</summary>
    internal static byte[] OnnxBytes(ModelArtifact artifact) =>
        (artifact.OnnxModel ?? throw new InvalidDataException("the NuCLR artifact has no model.onnx to score with")).ToArray();

    internal static string Describe(ModelArtifact artifact, string engine)
    {
        var p = artifact.Manifest.Provenance;
        var trainedOn = p.DatasetPath is null ? "" : $", trained on {p.DatasetPath}";
        return $"MLNeuro NuCLR neuron embeddings ({engine}; model by MLNeuro {p.MLNeuroVersion}, created {p.CreatedUtc:O}{trainedOn}, seed {p.Seed?.ToString() ?? "none"})";
    }

    /// <summary>The shared loop: windows per session, scored by <paramref name="score"/> (flat counts, unit groups, units) -> [units x dim].</summary>
    private static FeatureTable Run(NuclrModelOptions options, NeuralDataset dataset, Func<float[], float[], int, float[]> score,
        string source, IProgress<WorkProgress>? progress, CancellationToken ct)
    {
        var table = new NuclrEmbeddingTable(options.Encoder.Dim, dataset.Units.Count);
        int done = 0, total = dataset.Sessions.Count;
        foreach (var session in dataset.Sessions)
        {
            ct.ThrowIfCancellationRequested();
            progress?.Report(new WorkProgress("embedding", done, total));
            var recording = dataset.ReadRecording(session.SessionId, RecordingParts.Spikes);
            int units = recording.Units.Count;
            if (units > 0) table.AddSession(session, recording.Units, EmbedSession(recording, options, score, ct));
            done++;
        }
        progress?.Report(new WorkProgress("embedding", done, total));

        return table.Build($"{source} of {Path.GetFullPath(dataset.Path)}");
    }

    /// <summary>
    /// Mean embedding [units x dim] of one recording over its evaluation windows and draws, each unit averaged over the
    /// passes it was a member of (see <see cref="NuclrEmbeddingPlan"/>).
    /// </summary>
    private static float[] EmbedSession(Recording recording, NuclrModelOptions options, Func<float[], float[], int, float[]> score, CancellationToken ct)
    {
        int units = recording.Units.Count, dim = options.Encoder.Dim;
        var sampler = OpenSampler(recording, options);
        var plan = new NuclrEmbeddingPlan(recording.SessionId, recording.Units, options.Sampling);
        var mean = new WindowMean(units, dim);
        int window = 0;
        foreach (var flat in sampler.EvaluationWindowCounts(recording))
        {
            for (int draw = 0; draw < plan.Draws; draw++)
            {
                ct.ThrowIfCancellationRequested();
                var groups = plan.Groups(flat, window, draw);
                // A pass without members adds nothing (the ML.NET route scores it to zeros and skips it the same way).
                if (!groups.Any(g => g >= 0))
                {
                    mean.Add(new float[mean.Length], groups);
                    continue;
                }
                var embedding = score(flat, groups, units);
                if (embedding.Length != mean.Length)
                    throw new InvalidDataException($"the encoder returned {embedding.Length} values for {units} units x {dim} dims");
                mean.Add(embedding, groups);
            }
            window++;
        }
        if (mean.Windows == 0) throw NoWindow(recording.SessionId, options);
        return mean.Mean();
    }

    /// <summary>
    /// The evaluation-window sampler of one recording (spikes may be absent when only the window positions are
    /// wanted); throws <see cref="InvalidDataException"/> naming the session when it cannot hold one window or its
    /// windows do not fit the encoder.
    /// </summary>
    internal static NuclrBatchSampler OpenSampler(Recording recording, NuclrModelOptions options)
    {
        NuclrBatchSampler sampler;
        try
        {
            sampler = new NuclrBatchSampler(new[] { recording }, options.Sampling);
        }
        catch (ArgumentException e)
        {
            // The sampler's message names the session and why it cannot hold one window.
            throw new InvalidDataException(
                $"cannot embed session '{recording.SessionId}': it has no complete window ({e.Message.Replace($" (Parameter '{e.ParamName}')", "")})", e);
        }
        if (sampler.BinsPerPatch != options.Encoder.BinsPerPatch)
            throw new InvalidDataException($"session '{recording.SessionId}': windows hold {sampler.BinsPerPatch} bins per patch but the encoder takes {options.Encoder.BinsPerPatch}");
        return sampler;
    }

    /// <summary>The error for a session whose tiling yields no window.</summary>
    internal static InvalidDataException NoWindow(string sessionId, NuclrModelOptions options) =>
        new($"cannot embed session '{sessionId}': it has no complete window of {options.Sampling.WindowSeconds} s");
}
