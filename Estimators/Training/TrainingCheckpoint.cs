using System.Text;
using MLNeuro.Loaders.IO;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// One file holding everything a killed run needs to continue as if never stopped: the run's settings, completed
/// steps, the training generator's state, the model weights and the optimizer state (AdamW's or LAMB's step counts and
/// both moments per parameter; AdamW's as TorchSharp writes it, unchanged since format 2, so older checkpoints resume). Written to a temp file, flushed, then renamed over the old checkpoint, so a
/// kill mid-write leaves the previous checkpoint intact.
/// </summary>
internal static class TrainingCheckpoint
{
    private const string Magic = "MLNeuro.TrainingCheckpoint";
    // Version 2 added the run's settings, so a resume with other settings is refused instead of mislabelling the model.
    internal const int FormatVersion = 2;

    public static void Write(string path, TrainingRunSettings settings, int completedSteps, nn.Module module, ITrainingOptimizer optimizer, Generator generator)
    {
        AtomicFile.Write(path, temp =>
        {
            using var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None);
            using var writer = new BinaryWriter(stream, Encoding.UTF8);
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(settings.ToJson());
            writer.Write(completedSteps);
            using var state = generator.get_state();
            var bytes = state.data<byte>().ToArray();
            writer.Write(bytes.Length);
            writer.Write(bytes);
            module.save(writer);
            optimizer.Save(writer);
        });
    }

    /// <summary>
    /// Restores module, optimizer and generator in place; returns the number of completed steps. Throws
    /// <see cref="InvalidDataException"/> naming the file when it is not a checkpoint, is truncated, or was written
    /// with settings other than <paramref name="expected"/> (listing each difference).
    /// </summary>
    public static int Read(string path, TrainingRunSettings expected, nn.Module module, ITrainingOptimizer optimizer, Generator generator)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            string magic;
            try { magic = reader.ReadString(); }
            catch (Exception e) when (e is EndOfStreamException or FormatException) { magic = ""; }
            if (magic != Magic) throw new InvalidDataException($"{path} is not an MLNeuro training checkpoint.");
            int version = reader.ReadInt32();
            if (version != FormatVersion)
                throw new InvalidDataException(version < FormatVersion
                    ? $"{path} was written by an older MLNeuro (checkpoint format {version}) that did not record the run's settings, so resuming it cannot be checked; delete it and train again."
                    : $"{path} has checkpoint format version {version}; this MLNeuro reads version {FormatVersion}.");
            var written = TrainingRunSettings.FromJson(reader.ReadString(), path);
            if (expected.DifferencesFrom(written) is { Count: > 0 } differences)
                throw new InvalidDataException(
                    $"{path} was written by a run with other settings ({string.Join("; ", differences)}); resume with the same settings, or delete the checkpoint to start again.");
            int completed = reader.ReadInt32();
            int stateLength = reader.ReadInt32();
            var bytes = reader.ReadBytes(stateLength);
            // ReadBytes returns what is left at the end of the file; a short state would abort the process in libtorch.
            if (stateLength < 0 || bytes.Length != stateLength) throw new EndOfStreamException();
            using (var state = tensor(bytes, dtype: ScalarType.Byte))
                generator.set_state(state);
            module.load(reader, strict: true);
            optimizer.Load(reader);
            return completed;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path}: the checkpoint is truncated (the run that wrote it was stopped mid-write by something other than MLNeuro, or the file was cut); delete it and train again.", e);
        }
    }
}
