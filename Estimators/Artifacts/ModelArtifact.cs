using System.IO.Compression;
using System.Text;
using MLNeuro.Loaders;
using MLNeuro.Loaders.IO;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// A trained model on disk: a zip holding <c>manifest.json</c> (format version, model kind, options, provenance),
/// <c>weights.safetensors</c> (the TorchSharp state dict, readable by PyTorch's safetensors too) and, when the model has
/// one, <c>model.onnx</c> (the inference graph). Writes are atomic: a temp file renamed over the target.
/// </summary>
/// <example><code>
/// var artifact = ModelArtifact.Read("nuclr.zip");
/// Console.WriteLine($"{artifact.Manifest.ModelKind} trained by MLNeuro {artifact.Manifest.Provenance.MLNeuroVersion}");
/// </code></example>
public sealed class ModelArtifact
{
    /// <summary>Zip entry of the manifest.</summary>
    public const string ManifestEntry = "manifest.json";

    /// <summary>Zip entry of the weights.</summary>
    public const string WeightsEntry = "weights.safetensors";

    /// <summary>Zip entry of the optional ONNX graph.</summary>
    public const string OnnxEntry = "model.onnx";

    private readonly byte[] _weights;
    private readonly byte[]? _onnx;
    private readonly Dictionary<string, byte[]> _extras;

    /// <summary>An artifact from its parts.</summary>
    /// <param name="manifest">Manifest to write.</param>
    /// <param name="weightsSafetensors">The weights in safetensors format.</param>
    /// <param name="onnxModel">The ONNX graph, or null.</param>
    /// <param name="extras">Further named entries a model kind needs (e.g. an ML.NET model zip); names must not clash
    /// with the standard entries.</param>
    public ModelArtifact(ModelManifest manifest, byte[] weightsSafetensors, byte[]? onnxModel = null, IReadOnlyDictionary<string, byte[]>? extras = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(weightsSafetensors);
        Manifest = manifest;
        _weights = weightsSafetensors;
        _onnx = onnxModel;
        _extras = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, bytes) in extras ?? new Dictionary<string, byte[]>())
        {
            if (name is ManifestEntry or WeightsEntry or OnnxEntry || string.IsNullOrWhiteSpace(name))
                throw new ArgumentException($"'{name}' cannot name an extra entry", nameof(extras));
            _extras[name] = bytes ?? throw new ArgumentNullException(nameof(extras), $"extra entry '{name}' is null");
        }
    }

    /// <summary>Names of the extra entries, sorted.</summary>
    public IReadOnlyList<string> ExtraEntries => _extras.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The bytes of an extra entry; throws <see cref="KeyNotFoundException"/> naming the entries there are.</summary>
    public ReadOnlyMemory<byte> Extra(string name) => _extras.TryGetValue(name, out var bytes)
        ? bytes
        : throw new KeyNotFoundException($"the artifact ({Manifest.ModelKind}) has no entry '{name}'; extra entries: {string.Join(", ", ExtraEntries)}");

    /// <summary>The manifest.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The file this artifact was read from (as given to <see cref="Read"/>), or null when it was built in
    /// memory; errors about the artifact name it.</summary>
    public string? SourcePath { get; private init; }

    /// <summary>The weights in safetensors format.</summary>
    public ReadOnlyMemory<byte> WeightsSafetensors => _weights;

    /// <summary>The ONNX graph, or null when the artifact has none.</summary>
    // The cast matters: a null byte[] would otherwise convert to an empty, non-null memory.
    public ReadOnlyMemory<byte>? OnnxModel => _onnx is null ? (ReadOnlyMemory<byte>?)null : new ReadOnlyMemory<byte>(_onnx);

    /// <summary>Writes the artifact to <paramref name="path"/> atomically (temp file + rename), replacing any file there.</summary>
    /// <param name="path">Target zip file.</param>
    public void Write(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, temp =>
        {
            using var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None);
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create);
            WriteEntry(zip, ManifestEntry, Encoding.UTF8.GetBytes(Manifest.ToJson()));
            WriteEntry(zip, WeightsEntry, _weights);
            if (_onnx is not null) WriteEntry(zip, OnnxEntry, _onnx);
            foreach (var name in ExtraEntries) WriteEntry(zip, name, _extras[name]);
        });
    }

    /// <summary>
    /// Reads an artifact. Throws <see cref="FileNotFoundException"/> when the file is missing or is a folder, and
    /// <see cref="InvalidDataException"/> naming the file and what is wrong (not a zip, truncated, missing entry, other
    /// format version).
    /// </summary>
    /// <param name="path">The zip file.</param>
    public static ModelArtifact Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        InputPaths.RequireFile(path, "model artifact (zip file)");
        ZipArchive zip;
        try { zip = ZipFile.OpenRead(path); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{path}: not a model artifact (not a zip file, or a truncated one).", e); }
        using (zip)
        {
            try
            {
                var manifestBytes = ReadEntry(zip, ManifestEntry) ?? throw new InvalidDataException($"{path}: {ManifestEntry} is missing.");
                var manifest = ModelManifest.FromJson(Encoding.UTF8.GetString(manifestBytes), path);
                var weights = ReadEntry(zip, WeightsEntry) ?? throw new InvalidDataException($"{path}: {WeightsEntry} is missing.");
                var extras = zip.Entries
                    .Where(e => e.FullName is not (ManifestEntry or WeightsEntry or OnnxEntry))
                    .ToDictionary(e => e.FullName, e => ReadEntry(zip, e.FullName)!, StringComparer.Ordinal);
                return new ModelArtifact(manifest, weights, ReadEntry(zip, OnnxEntry), extras) { SourcePath = path };
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException && !e.Message.StartsWith(path, StringComparison.Ordinal))
            {
                // A damaged entry surfaces from the decompressor without a file name.
                throw new InvalidDataException($"{path}: the model artifact is damaged or truncated ({e.Message}).", e);
            }
        }
    }

    /// <summary>The file for messages: its path, or "the model artifact" when it was built in memory.</summary>
    internal string Describe() => SourcePath ?? "the model artifact";

    /// <summary>Throws <see cref="InvalidDataException"/> naming the file when the artifact is not of <paramref name="kind"/>.</summary>
    internal void RequireKind(string kind)
    {
        if (Manifest.ModelKind != kind)
            throw new InvalidDataException($"{Describe()}: is a '{Manifest.ModelKind}' model, but a '{kind}' model is needed here");
    }

    /// Captures a module's state dict as safetensors.
    internal static ModelArtifact FromModule(nn.Module module, ModelManifest manifest, byte[]? onnxModel = null, IReadOnlyDictionary<string, byte[]>? extras = null)
    {
        using var buffer = new MemoryStream();
        module.save_safetensors(buffer, null, true);
        return new ModelArtifact(manifest, buffer.ToArray(), onnxModel, extras);
    }

    /// Loads the weights into a module of the same architecture (strict: every key must match).
    internal void LoadWeightsInto(nn.Module module)
    {
        using var buffer = new MemoryStream(_weights, writable: false);
        try { module.load_safetensors(buffer, true, null, null, true); }
        catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
        {
            // A damaged weights entry, or weights of another architecture: name the file rather than the parser's internals.
            throw new InvalidDataException($"{Describe()}: the weights are damaged or do not fit a '{Manifest.ModelKind}' model with these options ({e.Message.Split('\n')[0].TrimEnd('.')})", e);
        }
    }

    private static void WriteEntry(ZipArchive zip, string name, byte[] bytes)
    {
        // Weights barely compress; storing them keeps writes fast.
        var level = name == ManifestEntry ? CompressionLevel.Optimal : CompressionLevel.NoCompression;
        using var entry = zip.CreateEntry(name, level).Open();
        entry.Write(bytes);
    }

    private static byte[]? ReadEntry(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name);
        if (entry is null) return null;
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
