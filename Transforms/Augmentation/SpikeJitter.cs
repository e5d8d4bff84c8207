using System.Buffers;
using MLNeuro.Loaders;

namespace MLNeuro.Transforms;

/// <summary>
/// Moves every spike of a view by an independent random offset, keeps it inside the view window and re-sorts the
/// spikes (ties by unit index). The spike count is preserved.
/// </summary>
/// <remarks>
/// A spike pushed past an edge is reflected back into the window (t' = 2·edge - t'), and clipped to the window if the
/// offset is longer than the window itself: reflection keeps the spike density flat near the edges, where plain
/// clipping would pile spikes onto the first and last instants. Offsets are computed in pooled buffers; the only new
/// arrays are the returned train's.
/// </remarks>
/// <example><code>
/// var jitter = new SpikeJitter(new SpikeJitterOptions { JitterSeconds = 0.002 });
/// AugmentedView jittered = jitter.Apply(view, new Random(seed));
/// </code></example>
public sealed class SpikeJitter : IViewAugmentation
{
    private static readonly double Sqrt3 = Math.Sqrt(3);

    /// <summary>Creates the augmentation; throws <see cref="ArgumentOutOfRangeException"/> naming a bad option.</summary>
    public SpikeJitter(SpikeJitterOptions? options = null)
    {
        Options = options ?? new SpikeJitterOptions();
        Options.Validate();
    }

    /// <summary>The options in use.</summary>
    public SpikeJitterOptions Options { get; }

    /// <inheritdoc />
    public AugmentedView Apply(AugmentedView view, Random random)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(random);
        var recording = view.Recording;
        var spikes = Jitter(recording.Spikes, recording.StartSeconds, recording.EndSeconds, random);
        return view.WithRecording(new Recording(recording.SessionId, recording.SubjectId, recording.Units, spikes,
            recording.StartSeconds, recording.EndSeconds, recording.Behavior, recording.Intervals, recording.Traces));
    }

    /// <summary>Jitters <paramref name="spikes"/> (all inside [start, end)) and keeps them there.</summary>
    public SpikeTrain Jitter(SpikeTrain spikes, double start, double end, Random random)
    {
        ArgumentNullException.ThrowIfNull(spikes);
        ArgumentNullException.ThrowIfNull(random);
        int n = spikes.Count;
        var times = ArrayPool<double>.Shared.Rent(n);
        try
        {
            var source = spikes.Timestamps;
            double last = end > start ? Math.BitDecrement(end) : start; // the window is [start, end)
            double sd = Options.JitterSeconds;
            bool gaussian = Options.Distribution == JitterDistribution.Gaussian;
            double spare = double.NaN; // Box-Muller yields normals in pairs; keep the second for the next spike
            for (int i = 0; i < n; i++)
            {
                double offset;
                if (!gaussian) offset = (2 * random.NextDouble() - 1) * Sqrt3 * sd;
                else if (!double.IsNaN(spare))
                {
                    offset = spare * sd;
                    spare = double.NaN;
                }
                else
                {
                    double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble(); // u1 in (0, 1]: log is finite
                    double r = Math.Sqrt(-2 * Math.Log(u1));
                    offset = r * Math.Cos(2 * Math.PI * u2) * sd;
                    spare = r * Math.Sin(2 * Math.PI * u2);
                }
                double t = source[i] + offset;
                if (t < start) t = 2 * start - t;
                else if (t > last) t = 2 * last - t;
                times[i] = Math.Clamp(t, start, last);
            }
            // FromUnsorted copies into the train's own arrays and sorts them by time, ties by unit.
            return SpikeTrain.FromUnsorted(times.AsSpan(0, n), spikes.UnitIndices, spikes.UnitCount);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(times);
        }
    }
}
