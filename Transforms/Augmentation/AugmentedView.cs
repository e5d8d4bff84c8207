using MLNeuro.Loaders;

namespace MLNeuro.Transforms;

/// <summary>
/// One view of a recording for self-supervised learning: a window of the recording after augmentations, with the
/// recording's full unit table (unit index i names the same neuron in every view of a sample) and the sorted indices
/// of the units still present after unit dropout.
/// </summary>
/// <example><code>
/// var view = AugmentedView.Of(recording.Slice(10, 20));
/// view = new UnitDropout().Apply(view, new Random(7));
/// ReadOnlySpan&lt;int&gt; present = view.KeptUnits;
/// </code></example>
public sealed class AugmentedView
{
    private readonly int[] _keptUnits;

    private AugmentedView(Recording recording, int[] keptUnits)
    {
        Recording = recording;
        _keptUnits = keptUnits;
    }

    /// <summary>A view of the whole of <paramref name="recording"/> with every unit present.</summary>
    public static AugmentedView Of(Recording recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        var all = new int[recording.Units.Count];
        for (int i = 0; i < all.Length; i++) all[i] = i;
        return new AugmentedView(recording, all);
    }

    /// <summary>Takes ownership of <paramref name="keptUnits"/>, which must be sorted, distinct and in range.</summary>
    internal static AugmentedView Create(Recording recording, int[] keptUnits) => new(recording, keptUnits);

    /// <summary>
    /// The view's data: its time domain is the view window, its unit table is the source recording's, and its spikes
    /// are those of present units only (after jitter, if any).
    /// </summary>
    public Recording Recording { get; }

    /// <summary>Indices (into <see cref="Recording"/>'s units) of the units present in this view, ascending.</summary>
    public ReadOnlySpan<int> KeptUnits => _keptUnits;

    /// <summary>Start of the view window, seconds.</summary>
    public double StartSeconds => Recording.StartSeconds;

    /// <summary>End of the view window (exclusive), seconds.</summary>
    public double EndSeconds => Recording.EndSeconds;

    /// <summary>The same units with new data (a cropped or jittered recording).</summary>
    internal AugmentedView WithRecording(Recording recording) => new(recording, _keptUnits);
}
