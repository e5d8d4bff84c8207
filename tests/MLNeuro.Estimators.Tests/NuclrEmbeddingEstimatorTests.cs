using System.Diagnostics;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Synthetic;
using Xunit.Abstractions;

namespace MLNeuro.Estimators.Tests;

/// <summary>A small dataset (2 subjects x 8 units x 20 s) and an untrained Tiny artifact, shared by the tests of a class.</summary>
public sealed class NuclrEmbeddingFixture : IDisposable
{
    public static readonly SyntheticOptions Synth = new() { Subjects = 2, SessionsPerSubject = 1, UnitsPerSession = 8, DurationSeconds = 20, Seed = 1 };

    private readonly TempFolder _tmp = new();

    public NuclrEmbeddingFixture()
    {
        var data = _tmp.Combine("synth");
        SyntheticDataset.Write(Synth, data);
        Dataset = NeuralDataset.Open(data);
        Artifact = NuclrTestArtifacts.Untrained(seed: 3);
        Expected = NuclrEmbedder.Embed(Artifact, Dataset);
    }

    public NeuralDataset Dataset { get; }

    public ModelArtifact Artifact { get; }

    /// <summary>NuclrEmbedder.Embed (ONNX Runtime directly): the table the ML.NET pipeline must reproduce.</summary>
    public FeatureTable Expected { get; }

    public string Combine(string name) => _tmp.Combine(name);

    public void Dispose() => _tmp.Dispose();
}

/// <summary>
/// The ML.NET surface of NuCLR embedding: window view -> EmbedNeuronsWithNuclr -> AverageEmbeddings equals
/// NuclrEmbedder.Embed (and the TorchSharp path), survives Model.Save/Load, and fails clearly on bad input.
/// </summary>
public sealed class NuclrEmbeddingEstimatorTests : IClassFixture<NuclrEmbeddingFixture>
{
    private readonly NuclrEmbeddingFixture _f;
    private readonly ITestOutputHelper _log;

    public NuclrEmbeddingEstimatorTests(NuclrEmbeddingFixture fixture, ITestOutputHelper log)
    {
        _f = fixture;
        _log = log;
    }

    [Fact]
    public void Pipeline_equals_Embed_and_the_TorchSharp_path()
    {
        var ml = new MLContext(seed: 0);
        var watch = Stopwatch.StartNew();
        var windows = _f.Dataset.AsNuclrWindowView(_f.Artifact);
        var model = ml.Transforms.EmbedNeuronsWithNuclr(_f.Artifact).Fit(windows);
        var table = windows.AverageEmbeddings(model.Transform(windows));
        _log.WriteLine($"ML.NET pipeline over {windows.GetRowCount()} windows took {watch.ElapsedMilliseconds} ms");

        // 20 s sessions of 0.8 s windows.
        Assert.Equal(50, windows.GetRowCount());
        Assert.All(windows.WindowCountBySession.Values, c => Assert.Equal(25, c));

        var expected = _f.Expected;
        Assert.Equal(expected.RowCount, table.RowCount);
        Assert.Equal(expected.FeatureNames, table.FeatureNames);
        Assert.Equal(expected.LabelColumns, table.LabelColumns);
        foreach (var column in expected.LabelColumns) Assert.Equal(expected.Column(column), table.Column(column));
        Assert.Contains("NuCLR", table.Source);
        double max = MaxAbsDiff(expected.Features, table.Features);
        _log.WriteLine($"max |pipeline - Embed (ORT)| = {max:E2} over {table.Features.Length} values");
        Assert.True(max <= 1e-6, $"the ML.NET pipeline differs from NuclrEmbedder.Embed by {max}");

        TorchTestHelpers.UseOneThread();
        var torch = NuclrEmbedder.EmbedWithTorch(_f.Artifact, _f.Dataset);
        double maxTorch = MaxAbsDiff(torch.Features, table.Features);
        _log.WriteLine($"max |pipeline - TorchSharp| = {maxTorch:E2}");
        Assert.True(maxTorch <= 1e-4, $"the ML.NET pipeline differs from TorchSharp by {maxTorch}");
    }

    [Fact]
    public void Window_rows_are_the_windows_Embed_scores()
    {
        var windows = _f.Dataset.AsNuclrWindowView(_f.Artifact);
        var options = NuclrModelOptions.FromArtifact(_f.Artifact);
        var expected = _f.Dataset.Sessions.SelectMany(s =>
        {
            var recording = _f.Dataset.ReadRecording(s.SessionId, RecordingParts.Spikes);
            return NuclrEmbedder.WindowCounts(options, recording).Select((c, i) => (s.SessionId, s.SubjectId, i, recording.Units.Count, c));
        }).ToList();

        var sessions = windows.GetColumn<string>("session_id").ToArray();
        var subjects = windows.GetColumn<string>("subject_id").ToArray();
        var indices = windows.GetColumn<int>("window_index").ToArray();
        var units = windows.GetColumn<int>("unit_count").ToArray();
        var counts = windows.GetColumn<float[]>("counts").ToArray();
        Assert.Equal(expected.Count, counts.Length);
        for (int r = 0; r < expected.Count; r++)
        {
            Assert.Equal(expected[r].SessionId, sessions[r]);
            Assert.Equal(expected[r].SubjectId, subjects[r]);
            Assert.Equal(expected[r].i, indices[r]);
            Assert.Equal(expected[r].Count, units[r]);
            Assert.Equal(expected[r].c, counts[r]);
        }
        int perWindow = 8 * options.Encoder.PatchCount * options.Encoder.BinsPerPatch;
        Assert.All(counts, c => Assert.Equal(perWindow, c.Length));
        Assert.Contains(counts, c => c.Any(v => v > 0));

        var schema = windows.Schema;
        Assert.Equal(new[] { "session_id", "subject_id", "window_index", "unit_count", "counts", "draw_index", "unit_group" }, schema.Select(c => c.Name));
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single), schema["counts"].Type);
        Assert.False(windows.CanShuffle);
    }

    [Fact]
    public void Saved_model_loads_in_a_fresh_context_and_scores_identically()
    {
        var ml = new MLContext(seed: 0);
        var windows = _f.Dataset.AsNuclrWindowView(_f.Artifact);
        var model = ml.Transforms.EmbedNeuronsWithNuclr(_f.Artifact).Fit(windows);
        var scored = model.Transform(windows).GetColumn<float[]>("embedding").ToArray();

        var path = _f.Combine("nuclr-embedding.zip");
        ml.Model.Save(model, windows.Schema, path);
        // No MLNeuroComponents.Register: the transformer is ML.NET's own ONNX transformer.
        var fresh = new MLContext(seed: 1);
        var loaded = fresh.Model.Load(path, out var inputSchema);
        Assert.Equal(windows.Schema.Select(c => c.Name), inputSchema.Select(c => c.Name));
        var freshWindows = NeuralDataset.Open(_f.Dataset.Path).AsNuclrWindowView(NuclrModelOptions.FromArtifact(_f.Artifact));
        var reloaded = loaded.Transform(freshWindows).GetColumn<float[]>("embedding").ToArray();
        _log.WriteLine($"saved model: {new FileInfo(path).Length} bytes");

        Assert.Equal(scored.Length, reloaded.Length);
        for (int r = 0; r < scored.Length; r++) Assert.Equal(scored[r], reloaded[r]);
        int dim = NuclrEncoderOptions.Tiny.Dim;
        Assert.All(scored, e => Assert.Equal(8 * dim, e.Length));
        var table = freshWindows.AverageEmbeddings(loaded.Transform(freshWindows));
        Assert.Equal(windows.AverageEmbeddings(model.Transform(windows)).Features.ToArray(), table.Features.ToArray());
    }

    [Fact]
    public void Chosen_column_names_give_the_same_embeddings()
    {
        var ml = new MLContext(seed: 0);
        var windows = _f.Dataset.AsNuclrWindowView(_f.Artifact);
        // "rope_cos" is also the name of an initializer inside the graph: the rename must move that one out of the way.
        var pipeline = ml.Transforms.CopyColumns("binned", "counts")
            .Append(ml.Transforms.EmbedNeuronsWithNuclr("rope_cos", "binned", _f.Artifact));
        var model = pipeline.Fit(windows);
        var output = pipeline.GetOutputSchema(ShapeOf(windows.Schema));
        Assert.Contains(output, c => c.Name == "rope_cos" && c.ItemType == NumberDataViewType.Single);
        var table = windows.AverageEmbeddings(model.Transform(windows), embeddingColumnName: "rope_cos");
        Assert.True(MaxAbsDiff(_f.Expected.Features, table.Features) <= 1e-6);

        using var zip = new MemoryStream();
        ml.Model.Save(model, windows.Schema, zip);
        zip.Position = 0;
        var loaded = new MLContext(seed: 1).Model.Load(zip, out _);
        Assert.Equal(table.Features.ToArray(), windows.AverageEmbeddings(loaded.Transform(windows), "rope_cos").Features.ToArray());
    }

    [Fact]
    public void A_missing_or_mistyped_input_column_is_named()
    {
        var ml = new MLContext(seed: 0);
        var estimator = ml.Transforms.EmbedNeuronsWithNuclr(_f.Artifact);

        var missing = ml.Data.LoadFromEnumerable(new[] { new OtherRow { X = new float[] { 1 } } });
        var e = Assert.Throws<ArgumentException>(() => estimator.Fit(missing));
        _log.WriteLine(e.Message);
        Assert.Contains("EmbedNeuronsWithNuclr", e.Message);
        Assert.Contains("'counts'", e.Message);
        Assert.Contains("missing", e.Message);
        e = Assert.Throws<ArgumentException>(() => estimator.GetOutputSchema(ShapeOf(missing.Schema)));
        Assert.Contains("'counts'", e.Message);

        var mistyped = ml.Data.LoadFromEnumerable(new[] { new DoubleCountsRow { Counts = new double[] { 1 } } });
        e = Assert.Throws<ArgumentException>(() => estimator.Fit(mistyped));
        _log.WriteLine(e.Message);
        Assert.Contains("'counts'", e.Message);
        Assert.Contains("Single", e.Message);
        e = Assert.Throws<ArgumentException>(() => estimator.GetOutputSchema(ShapeOf(mistyped.Schema)));
        Assert.Contains("'counts'", e.Message);

        var custom = ml.Transforms.EmbedNeuronsWithNuclr("embedding", "binned", _f.Artifact);
        e = Assert.Throws<ArgumentException>(() => custom.Fit(_f.Dataset.AsNuclrWindowView(_f.Artifact)));
        Assert.Contains("'binned'", e.Message);

        Assert.Throws<ArgumentException>(() => ml.Transforms.EmbedNeuronsWithNuclr("counts", null, _f.Artifact));
    }

    [Fact]
    public void Artifacts_of_another_kind_or_without_onnx_are_rejected()
    {
        var ml = new MLContext(seed: 0);
        var a = _f.Artifact;
        var poyo = new ModelArtifact(a.Manifest with { ModelKind = "poyo" }, a.WeightsSafetensors.ToArray(), a.OnnxModel?.ToArray());
        var e = Assert.Throws<InvalidDataException>(() => ml.Transforms.EmbedNeuronsWithNuclr(poyo));
        _log.WriteLine(e.Message);
        Assert.Contains("poyo", e.Message);
        Assert.Contains("poyo", Assert.Throws<InvalidDataException>(() => _f.Dataset.AsNuclrWindowView(poyo)).Message);

        var noOnnx = new ModelArtifact(a.Manifest, a.WeightsSafetensors.ToArray());
        e = Assert.Throws<InvalidDataException>(() => ml.Transforms.EmbedNeuronsWithNuclr(noOnnx));
        _log.WriteLine(e.Message);
        Assert.Contains("model.onnx", e.Message);

        var inconsistent = NuclrTestArtifacts.TinyOptions with { Sampling = NuclrTestArtifacts.TinyOptions.Sampling with { PatchCount = 2, WindowSeconds = 0.4 } };
        var bad = new ModelArtifact(a.Manifest with { OptionsJson = inconsistent.ToJson() }, a.WeightsSafetensors.ToArray(), a.OnnxModel?.ToArray());
        e = Assert.Throws<InvalidDataException>(() => ml.Transforms.EmbedNeuronsWithNuclr(bad));
        _log.WriteLine(e.Message);
        Assert.Contains("PatchCount", e.Message);
    }

    [Fact]
    public void A_session_shorter_than_one_window_is_named_when_the_view_is_created()
    {
        var data = _f.Combine("short");
        var recordings = SyntheticDataset.Generate(NuclrEmbeddingFixture.Synth).ToList();
        using (var writer = DatasetWriter.Create(data))
        {
            writer.WriteRecording(recordings[0]);
            var r = recordings[1];
            writer.WriteRecording(r.Slice(r.StartSeconds, r.StartSeconds + 0.4)); // half of one 0.8 s window
            writer.Commit();
        }
        var e = Assert.Throws<InvalidDataException>(() => NeuralDataset.Open(data).AsNuclrWindowView(_f.Artifact));
        _log.WriteLine(e.Message);
        Assert.Contains($"'{recordings[1].SessionId}'", e.Message);
        Assert.Contains("no complete window", e.Message);
    }

    [Fact]
    public void Averaging_needs_every_window_exactly_once()
    {
        var ml = new MLContext(seed: 0);
        var windows = _f.Dataset.AsNuclrWindowView(_f.Artifact);
        var model = ml.Transforms.EmbedNeuronsWithNuclr(_f.Artifact).Fit(windows);
        var scored = model.Transform(windows);

        // The last window of the second session is missing.
        var partial = ml.Data.TakeRows(scored, 49);
        var e = Assert.Throws<InvalidDataException>(() => windows.AverageEmbeddings(partial));
        _log.WriteLine(e.Message);
        Assert.Contains($"'{_f.Dataset.Sessions[1].SessionId}'", e.Message);
        Assert.Contains("24 of the 25", e.Message);

        var missing = Assert.Throws<ArgumentException>(() => windows.AverageEmbeddings(scored, embeddingColumnName: "nope"));
        Assert.Contains("'nope'", missing.Message);

        // Rows in another order average to the same table.
        var shuffled = ml.Data.LoadFromEnumerable(ml.Data.CreateEnumerable<ScoredRow>(scored, reuseRowObject: false).Reverse().ToList());
        Assert.True(MaxAbsDiff(_f.Expected.Features, windows.AverageEmbeddings(shuffled).Features) <= 1e-6);
    }

    /// <summary>SchemaShape.Create is internal to ML.NET (its estimator chains call it); tests reach it by reflection.</summary>
    private static SchemaShape ShapeOf(DataViewSchema schema) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, new[] { typeof(DataViewSchema) })!
            .Invoke(null, new object[] { schema })!;

    private static double MaxAbsDiff(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double max = 0;
        for (int i = 0; i < expected.Length; i++) max = Math.Max(max, Math.Abs(expected[i] - actual[i]));
        return max;
    }

    public sealed class OtherRow
    {
        [ColumnName("x")] public float[] X { get; set; } = Array.Empty<float>();
    }

    public sealed class DoubleCountsRow
    {
        [ColumnName("counts")] public double[] Counts { get; set; } = Array.Empty<double>();
    }

    public sealed class ScoredRow
    {
        [ColumnName("session_id")] public string SessionId { get; set; } = "";
        [ColumnName("window_index")] public int WindowIndex { get; set; }
        [ColumnName("embedding")] public float[] Embedding { get; set; } = Array.Empty<float>();
        [ColumnName("draw_index")] public int DrawIndex { get; set; }
        [ColumnName("unit_group")] public float[] UnitGroup { get; set; } = Array.Empty<float>();
    }
}
