using Microsoft.ML;
using Microsoft.ML.Data;
using System.Diagnostics;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Synthetic;
using Xunit.Abstractions;

namespace MLNeuro.Estimators.Tests;

/// <summary>
/// NuclrEmbedder on an untrained Tiny artifact: table shape and labels, ONNX Runtime vs TorchSharp parity, and the
/// error for a session too short for one window.
/// </summary>
public sealed class NuclrEmbedderTests
{
    private readonly ITestOutputHelper _log;

    public NuclrEmbedderTests(ITestOutputHelper log) => _log = log;

    private static readonly SyntheticOptions Synth = new() { Subjects = 2, SessionsPerSubject = 1, UnitsPerSession = 8, DurationSeconds = 20, Seed = 1 };

    [Fact]
    public void Embed_gives_one_labelled_finite_row_per_unit()
    {
        using var tmp = new TempFolder();
        var data = tmp.Combine("synth");
        SyntheticDataset.Write(Synth, data);
        var dataset = NeuralDataset.Open(data);
        var artifact = NuclrTestArtifacts.Untrained();
        var reports = new List<WorkProgress>();

        var watch = Stopwatch.StartNew();
        var table = NuclrEmbedder.Embed(artifact, dataset, new SynchronousProgress<WorkProgress>(reports.Add));
        _log.WriteLine($"ONNX embedding of {table.RowCount} units took {watch.ElapsedMilliseconds} ms");

        Assert.Equal(16, table.RowCount);
        Assert.Equal(NuclrEncoderOptions.Tiny.Dim, table.Dimension);
        Assert.Equal("nuclr_000", table.FeatureNames[0]);
        Assert.Equal($"nuclr_{NuclrEncoderOptions.Tiny.Dim - 1:D3}", table.FeatureNames[^1]);
        Assert.Equal(new[] { "unit_id", "session_id", "subject_id", "brain_region", "cell_type" }, table.LabelColumns.Take(5));
        Assert.Contains("NuCLR", table.Source);
        var expected = dataset.Units;
        Assert.Equal(expected.Select(u => u.Unit.UnitId), table.Column("unit_id"));
        Assert.Equal(expected.Select(u => u.SessionId), table.Column("session_id"));
        Assert.Equal(expected.Select(u => u.SubjectId), table.Column("subject_id"));
        Assert.Equal(expected.Select(u => u.Unit.CellType), table.Column("cell_type"));
        Assert.Equal(expected.Select(u => u.Unit.BrainRegion), table.Column("brain_region"));
        Assert.All(table.Column("cell_type"), c => Assert.False(string.IsNullOrEmpty(c)));
        foreach (var v in table.Features) Assert.True(float.IsFinite(v));
        // Units differ: an embedding that ignored its input would give identical rows.
        Assert.NotEqual(table.Row(0).ToArray(), table.Row(1).ToArray());
        Assert.Equal(2, reports[^1].Done);

        // Round trip through Parquet keeps everything the probe reads.
        var path = tmp.Combine("embed.parquet");
        table.Write(path);
        var back = FeatureTable.Read(path);
        Assert.Equal(table.Features.ToArray(), back.Features.ToArray());
    }

    [Fact]
    public void Onnx_and_torchsharp_embeddings_agree()
    {
        TorchTestHelpers.UseOneThread();
        using var tmp = new TempFolder();
        var data = tmp.Combine("synth");
        SyntheticDataset.Write(Synth, data);
        var dataset = NeuralDataset.Open(data);
        var artifact = NuclrTestArtifacts.Untrained(seed: 3);

        var watch = Stopwatch.StartNew();
        var onnx = NuclrEmbedder.Embed(artifact, dataset);
        long onnxMs = watch.ElapsedMilliseconds;
        watch.Restart();
        var torch = NuclrEmbedder.EmbedWithTorch(artifact, dataset);
        long torchMs = watch.ElapsedMilliseconds;

        Assert.Equal(torch.RowCount, onnx.RowCount);
        double max = 0;
        for (int i = 0; i < onnx.Features.Length; i++) max = Math.Max(max, Math.Abs(onnx.Features[i] - torch.Features[i]));
        _log.WriteLine($"max |ONNX - TorchSharp| = {max:E2} over {onnx.Features.Length} values; ONNX {onnxMs} ms, TorchSharp {torchMs} ms");
        Assert.True(max <= 1e-4, $"ONNX differs from TorchSharp by {max}");
        Assert.Equal(torch.Column("unit_id"), onnx.Column("unit_id"));
    }

    [Fact]
    public void A_session_shorter_than_one_window_is_named()
    {
        using var tmp = new TempFolder();
        var data = tmp.Combine("short");
        var recordings = SyntheticDataset.Generate(Synth).ToList();
        using (var writer = DatasetWriter.Create(data))
        {
            writer.WriteRecording(recordings[0]);
            var r = recordings[1];
            // Half of one 0.8 s window.
            writer.WriteRecording(r.Slice(r.StartSeconds, r.StartSeconds + 0.4));
            writer.Commit();
        }
        var dataset = NeuralDataset.Open(data);
        var e = Assert.Throws<InvalidDataException>(() => NuclrEmbedder.Embed(NuclrTestArtifacts.Untrained(), dataset));
        _log.WriteLine(e.Message);
        Assert.Contains($"'{recordings[1].SessionId}'", e.Message);
        Assert.Contains("no complete window", e.Message);
    }

    [Fact]
    public void An_artifact_of_another_kind_is_rejected()
    {
        var artifact = NuclrTestArtifacts.Untrained();
        var other = new ModelArtifact(artifact.Manifest with { ModelKind = "poyo" }, artifact.WeightsSafetensors.ToArray(), artifact.OnnxModel?.ToArray());
        using var tmp = new TempFolder();
        var data = tmp.Combine("synth");
        SyntheticDataset.Write(new SyntheticOptions { Subjects = 1, SessionsPerSubject = 1, UnitsPerSession = 4, DurationSeconds = 5, Seed = 2 }, data);
        var e = Assert.Throws<InvalidDataException>(() => NuclrEmbedder.Embed(other, NeuralDataset.Open(data)));
        Assert.Contains("poyo", e.Message);
    }
}

/// <summary>The documented ML.NET route: one row per window, ApplyOnnxModel, mean per unit equals NuclrEmbedder.Embed.</summary>
public sealed class NuclrEmbedderMlNetTests
{
    private readonly ITestOutputHelper _log;

    public NuclrEmbedderMlNetTests(ITestOutputHelper log) => _log = log;

    [Fact]
    public void ApplyOnnxModel_on_window_rows_reproduces_Embed_and_survives_save_load()
    {
        using var tmp = new TempFolder();
        var data = tmp.Combine("synth");
        SyntheticDataset.Write(new SyntheticOptions { Subjects = 1, SessionsPerSubject = 1, UnitsPerSession = 6, DurationSeconds = 8, Seed = 4 }, data);
        var dataset = NeuralDataset.Open(data);
        var artifact = NuclrTestArtifacts.Untrained(seed: 5);
        var options = NuclrModelOptions.FromArtifact(artifact);
        var recording = dataset.ReadRecording(dataset.Sessions[0].SessionId, MLNeuro.Loaders.RecordingParts.Spikes);

        var rows = NuclrEmbedder.WindowInputs(options, recording).Select(w => new NuclrOnnxRow { Counts = w.Counts, UnitGroup = w.UnitGroup }).ToList();
        Assert.Equal(10, rows.Count); // 8 s of 0.8 s windows, one pass each (no training cap)
        var ml = new Microsoft.ML.MLContext(seed: 0);
        var view = ml.Data.LoadFromEnumerable(rows);
        Microsoft.ML.ITransformer model;
        using (var stream = new MemoryStream(artifact.OnnxModel!.Value.ToArray()))
            model = ml.Transforms.ApplyOnnxModel(new[] { "embedding" }, new[] { "counts", "unit_group" }, stream).Fit(view);
        using var saved = new MemoryStream();
        ml.Model.Save(model, view.Schema, saved);
        saved.Position = 0;
        var loaded = new Microsoft.ML.MLContext(seed: 1).Model.Load(saved, out _);
        var scored = loaded.Transform(view).GetColumn<float[]>("embedding").ToArray();

        int units = recording.Units.Count, dim = options.Encoder.Dim;
        var sum = new double[units * dim];
        var windows = new int[units];
        for (int r = 0; r < scored.Length; r++)
            for (int u = 0; u < units; u++)
            {
                if (rows[r].UnitGroup[u] < 0) continue; // silent in this window: not averaged
                windows[u]++;
                for (int i = 0; i < dim; i++) sum[u * dim + i] += scored[r][u * dim + i];
            }
        Assert.Contains(rows, r => r.UnitGroup.Contains(-1f)); // some unit is silent in some window, so the mask is exercised
        var mean = new double[units * dim];
        for (int u = 0; u < units; u++)
            for (int i = 0; i < dim; i++) mean[u * dim + i] = windows[u] == 0 ? 0 : sum[u * dim + i] / windows[u];
        var expected = NuclrEmbedder.Embed(artifact, dataset);
        double max = 0;
        for (int i = 0; i < mean.Length; i++) max = Math.Max(max, Math.Abs(mean[i] - expected.Features[i]));
        _log.WriteLine($"max |ML.NET mean - Embed| = {max:E2}");
        Assert.True(max <= 1e-5, $"ML.NET route differs from Embed by {max}");
    }
}
