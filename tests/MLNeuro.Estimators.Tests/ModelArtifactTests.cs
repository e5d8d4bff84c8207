using System.IO.Compression;
using System.Text;
using static TorchSharp.torch;
using static MLNeuro.Estimators.Tests.TorchTestHelpers;

namespace MLNeuro.Estimators.Tests;

public sealed class ModelArtifactTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlneuro-artifact-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static TransformerBlock Block(ulong seed)
    {
        using var g = new Generator(seed);
        return new TransformerBlock(16, 2, 8, 2, new RotaryEmbedding(8, 8, 0.1, 4), g);
    }

    private static ModelManifest Manifest() =>
        new("nuclr", """{"dim":16,"heads":2}""", new ModelProvenance("1.2.3", "data/x", "abc123", 7, new DateTime(2026, 11, 2, 3, 4, 5, DateTimeKind.Utc)));

    [Fact]
    public void Round_trip_restores_identical_weights_manifest_and_onnx()
    {
        UseOneThread();
        using var trained = Block(1);
        var path = Path.Combine(_dir, "model.zip");
        var onnx = new byte[] { 8, 1, 2, 3 };
        ModelArtifact.FromModule(trained, Manifest(), onnx).Write(path);
        Assert.Equal(new[] { path }, Directory.GetFiles(_dir)); // no temp file left behind

        var read = ModelArtifact.Read(path);
        Assert.Equal("nuclr", read.Manifest.ModelKind);
        Assert.Equal(ModelManifest.CurrentFormatVersion, read.Manifest.FormatVersion);
        Assert.Equal(Manifest().Provenance, read.Manifest.Provenance);
        Assert.Equal("""{"dim":16,"heads":2}""", read.Manifest.OptionsJson);
        Assert.Equal(onnx, read.OnnxModel!.Value.ToArray());

        using var fresh = Block(2);
        read.LoadWeightsInto(fresh);
        AssertSameWeights(trained, fresh);
    }

    [Fact]
    public void Extra_entries_round_trip_and_a_missing_one_is_named()
    {
        var path = Path.Combine(_dir, "extras.zip");
        var extras = new Dictionary<string, byte[]> { ["model.mlnet.zip"] = [1, 2, 3], ["vocabulary.json"] = [4] };
        new ModelArtifact(Manifest(), [9], null, extras).Write(path);
        var read = ModelArtifact.Read(path);
        Assert.Equal(new[] { "model.mlnet.zip", "vocabulary.json" }, read.ExtraEntries);
        Assert.Equal(new byte[] { 1, 2, 3 }, read.Extra("model.mlnet.zip").ToArray());
        var missing = Assert.Throws<KeyNotFoundException>(() => read.Extra("other.bin"));
        Assert.Contains("other.bin", missing.Message);
        Assert.Contains("vocabulary.json", missing.Message);
        Assert.Throws<ArgumentException>(() => new ModelArtifact(Manifest(), [9], null, new Dictionary<string, byte[]> { [ModelArtifact.OnnxEntry] = [1] }));
    }

    [Fact]
    public void Onnx_entry_is_optional()
    {
        UseOneThread();
        using var block = Block(1);
        var path = Path.Combine(_dir, "no-onnx.zip");
        ModelArtifact.FromModule(block, Manifest()).Write(path);
        Assert.Null(ModelArtifact.Read(path).OnnxModel);
    }

    [Fact]
    public void Missing_manifest_error_names_the_file()
    {
        var path = Path.Combine(_dir, "bare.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
            zip.CreateEntry(ModelArtifact.WeightsEntry);
        var e = Assert.Throws<InvalidDataException>(() => ModelArtifact.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("manifest.json", e.Message);
    }

    [Fact]
    public void Other_format_version_error_names_the_file_and_version()
    {
        var path = Path.Combine(_dir, "future.zip");
        new ModelArtifact(Manifest() with { FormatVersion = 99 }, new byte[] { 1 }).Write(path);
        var e = Assert.Throws<InvalidDataException>(() => ModelArtifact.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("99", e.Message);
    }

    [Fact]
    public void A_folder_given_as_the_artifact_is_reported_as_a_folder()
    {
        var e = Assert.Throws<FileNotFoundException>(() => ModelArtifact.Read(_dir));
        Assert.Contains(_dir, e.Message);
        Assert.Contains("is a folder", e.Message);
        var missing = Assert.Throws<FileNotFoundException>(() => ModelArtifact.Read(Path.Combine(_dir, "none.zip")));
        Assert.Contains("does not exist", missing.Message);
    }

    [Fact]
    public void Truncated_or_damaged_artifacts_name_the_file()
    {
        var path = Path.Combine(_dir, "whole.zip");
        new ModelArtifact(Manifest(), Enumerable.Range(0, 4096).Select(i => (byte)i).ToArray()).Write(path);
        var bytes = File.ReadAllBytes(path);

        // Cut short: the zip's directory at the end is gone.
        var cut = Path.Combine(_dir, "cut.zip");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => ModelArtifact.Read(cut));
        Assert.StartsWith(cut, e.Message);
        Assert.Contains("truncated", e.Message);

        // Zip intact but the weights entry damaged (its compression method in the central directory): the zip reader's
        // error gets the file name.
        var damaged = Path.Combine(_dir, "damaged.zip");
        var copy = (byte[])bytes.Clone();
        int header = copy.AsSpan().LastIndexOf(Encoding.ASCII.GetBytes(ModelArtifact.WeightsEntry)) - 46; // the directory record precedes the name
        copy[header + 10] = 0x63; // compression method 99: unsupported
        File.WriteAllBytes(damaged, copy);
        e = Assert.Throws<InvalidDataException>(() => ModelArtifact.Read(damaged));
        Assert.StartsWith(damaged, e.Message);
    }

    [Fact]
    public void Artifact_of_another_kind_names_the_file_and_both_kinds()
    {
        var path = Path.Combine(_dir, "wiener.zip");
        new ModelArtifact(Manifest() with { ModelKind = WienerFilterDecoder.ModelKind }, [1]).Write(path);
        var read = ModelArtifact.Read(path);
        Assert.Equal(path, read.SourcePath);
        var e = Assert.Throws<InvalidDataException>(() => NuclrModelOptions.FromArtifact(read));
        Assert.Contains(path, e.Message);
        Assert.Contains("'wiener'", e.Message);
        Assert.Contains("'nuclr'", e.Message);
        Assert.Null(new ModelArtifact(Manifest(), [1]).SourcePath);
    }

    [Fact]
    public void Damaged_weights_name_the_file_when_loaded()
    {
        UseOneThread();
        var path = Path.Combine(_dir, "garbage-weights.zip");
        new ModelArtifact(Manifest(), Encoding.ASCII.GetBytes("not safetensors")).Write(path);
        using var block = Block(1);
        var e = Assert.Throws<InvalidDataException>(() => ModelArtifact.Read(path).LoadWeightsInto(block));
        Assert.StartsWith(path, e.Message);
        Assert.Contains("weights", e.Message);
    }

    [Fact]
    public void Manifest_is_readable_json_with_provenance()
    {
        var path = Path.Combine(_dir, "m.zip");
        new ModelArtifact(Manifest(), new byte[] { 1 }).Write(path);
        using var zip = ZipFile.OpenRead(path);
        using var reader = new StreamReader(zip.GetEntry(ModelArtifact.ManifestEntry)!.Open(), Encoding.UTF8);
        var json = reader.ReadToEnd();
        Assert.Contains("\"formatVersion\": 1", json);
        Assert.Contains("\"datasetHash\": \"abc123\"", json);
        Assert.Contains("\"createdUtc\": \"2026-11-02T03:04:05", json);
    }
}
