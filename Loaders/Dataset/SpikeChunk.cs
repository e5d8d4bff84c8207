namespace MLNeuro.Loaders;

/// <summary>
/// One row group of a session's spikes as streamed by <see cref="NeuralDataset.ReadSpikeChunks"/>. The buffers are
/// reused for the next chunk: copy what you need to keep.
/// </summary>
/// <param name="Timestamps">Spike times in seconds, ascending (continuing the previous chunk).</param>
/// <param name="UnitIndices">Unit index of each spike.</param>
public readonly record struct SpikeChunk(ReadOnlyMemory<double> Timestamps, ReadOnlyMemory<int> UnitIndices);
