using System.Text;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// One file holding everything a killed run needs to continue as if never stopped: completed steps, the training
/// generator's state, the model weights and the optimizer state (AdamW step counts and both moments per parameter, and
/// the group options). Written to a temp file, flushed, then renamed over the old checkpoint, so a kill mid-write leaves
/// the previous checkpoint intact.
/// </summary>
internal static class TrainingCheckpoint
{
    private const string Magic = "MLNeuro.TrainingCheckpoint";
    internal const int FormatVersion = 1;

    public static void Write(string path, int completedSteps, nn.Module module, OptimizerHelper optimizer, Generator generator)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(FormatVersion);
                writer.Write(completedSteps);
                using var state = generator.get_state();
                var bytes = state.data<byte>().ToArray();
                writer.Write(bytes.Length);
                writer.Write(bytes);
                module.save(writer);
                optimizer.save_state_dict(writer);
            }
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, full, overwrite: true);
    }

    /// Restores module, optimizer and generator in place; returns the number of completed steps. A file that is not a
    /// checkpoint, of another format version, or cut short throws <see cref="InvalidDataException"/> naming it.
    public static int Read(string path, nn.Module module, OptimizerHelper optimizer, Generator generator)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        string magic;
        try { magic = reader.ReadString(); }
        catch (Exception e) when (e is EndOfStreamException or FormatException) { magic = ""; }
        if (magic != Magic) throw new InvalidDataException($"{path} is not an MLNeuro training checkpoint.");
        try
        {
            int version = reader.ReadInt32();
            if (version != FormatVersion)
                throw new InvalidDataException($"{path} has checkpoint format version {version}; this MLNeuro reads version {FormatVersion}.");
            int completed = reader.ReadInt32();
            int stateLength = reader.ReadInt32();
            var bytes = reader.ReadBytes(stateLength);
            if (bytes.Length != stateLength) throw new EndOfStreamException(); // ReadBytes returns what there is
            using (var state = tensor(bytes, dtype: ScalarType.Byte))
                generator.set_state(state);
            module.load(reader, strict: true);
            optimizer.load_state_dict(reader);
            return completed;
        }
        catch (EndOfStreamException e)
        {
            // A run killed while copying the checkpoint elsewhere, or a full disk: the rename makes our own writes whole.
            throw new InvalidDataException(
                $"{path}: the training checkpoint is truncated ({stream.Length:N0} bytes); delete it to start from step 0", e);
        }
    }
}
