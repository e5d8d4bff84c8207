namespace MLNeuro.Loaders.Views;

/// <summary>Options of <see cref="DatasetViews.AsNeuronView"/>.</summary>
/// <example><code>
/// IDataView neurons = dataset.AsNeuronView(new NeuronViewOptions { IncludeSpikeTimes = true });
/// </code></example>
public sealed class NeuronViewOptions
{
    /// <summary>
    /// Adds the <c>spike_times</c> column (variable-length vector of Double, seconds). Default false: the view then
    /// never reads a spike file. Even when true, spikes are read one session at a time and only by cursors that
    /// activate the column.
    /// </summary>
    public bool IncludeSpikeTimes { get; set; } = ViewDefaults.IncludeSpikeTimes;
}
