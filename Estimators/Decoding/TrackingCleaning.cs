using MLNeuro.Loaders;

namespace MLNeuro.Estimators;

/// <summary>
/// The valid values of one behaviour channel for <see cref="TrackingCleaning"/>: the closed range
/// [<see cref="Min"/>, <see cref="Max"/>] minus the <see cref="Sentinels"/> (values a tracker writes when it loses the
/// animal). Non-finite values are always invalid.
/// </summary>
/// <param name="Channel">The channel name.</param>
/// <example><code>
/// var x = new ChannelValidity("x_px") { Min = 0, Max = 639, Sentinels = [0f, 639f] }; // valid: 0 &lt; x &lt; 639
/// </code></example>
public sealed record ChannelValidity(string Channel)
{
    /// <summary>Smallest valid value (inclusive). Default -∞.</summary>
    public double Min { get; init; } = double.NegativeInfinity;

    /// <summary>Largest valid value (inclusive). Default +∞.</summary>
    public double Max { get; init; } = double.PositiveInfinity;

    /// <summary>Values that mean "no measurement" even inside the range. Default none.</summary>
    public IReadOnlyList<float> Sentinels { get; init; } = [];

    /// <summary>Whether <paramref name="value"/> is a measurement: finite, in range and not a sentinel.</summary>
    public bool IsValid(float value)
    {
        if (!float.IsFinite(value) || value < Min || value > Max) return false;
        foreach (var s in Sentinels) if (value == s) return false;
        return true;
    }
}

/// <summary>
/// Marks tracking dropouts in behaviour as NaN, so that decoders and R² skip them (see <see cref="BehaviorTargets"/>).
/// Two rules, on the channels listed in <see cref="Channels"/>:
/// <list type="bullet">
/// <item><b>Invalid values</b>: a value outside its channel's range or equal to one of its sentinels
/// (<see cref="ChannelValidity"/>). With <see cref="MarkWholeSample"/> (default) every listed channel of that sample
/// becomes NaN: a tracker that lost the animal on y has no x either.</item>
/// <item><b>Frozen runs</b> (when <see cref="FrozenSeconds"/> is set): consecutive samples whose listed channels all keep
/// exactly the same values for at least that long. A tracked animal jitters by at least a pixel within seconds; a
/// tracker holding its last value, or an animal outside the field of view, does not.</item>
/// </list>
/// Other channels are copied unchanged; values already NaN are left as they are (and not counted).
/// </summary>
/// <example><code>
/// // Rat tracking from a 640x480 camera: drop samples on the frame border and positions frozen for 30 s or more.
/// var result = TrackingCleaning.CameraFrame(640, 480).Apply(recording.Behavior!);
/// Console.WriteLine($"{result.SamplesMarked} of {result.Behavior.Count} samples marked as dropouts");
/// recording = recording.WithBehavior(result.Behavior);
///
/// // General: a speed channel must lie in [0, 200] and -1 means "no reading".
/// var speed = new TrackingCleaning { Channels = [new ChannelValidity("speed") { Min = 0, Max = 200, Sentinels = [-1f] }] };
/// </code></example>
public sealed record TrackingCleaning
{
    /// <summary>Default of <see cref="CameraFrame"/>'s frozen-run length: 30 s (1800 frames at 60 Hz).</summary>
    public const double DefaultCameraFrozenSeconds = 30;

    /// <summary>The channels checked (and marked), each with its valid values. At least one, each channel once.</summary>
    public IReadOnlyList<ChannelValidity> Channels { get; init; } = [];

    /// <summary>When one listed channel of a sample is invalid, mark all listed channels of that sample. Default true.</summary>
    public bool MarkWholeSample { get; init; } = true;

    /// <summary>
    /// Minimum duration in seconds (from the first to the last sample of the run) of a run of identical values on all
    /// listed channels that is marked as frozen tracking; null (default) disables the rule. Positive when set.
    /// </summary>
    public double? FrozenSeconds { get; init; }

    /// <summary>
    /// The preset for position in pixels of a <paramref name="widthPixels"/> x <paramref name="heightPixels"/> camera:
    /// a position on the frame's border (x = 0 or width - 1, y = 0 or height - 1) or outside the frame is a dropout
    /// (trackers park lost positions on the border or at (0, 0); a real LED centroid on the outermost pixel row is
    /// clipped anyway), whole samples are marked, and positions frozen for <paramref name="frozenSeconds"/> or more
    /// are dropouts too. Fractional (sub-pixel) positions strictly inside the border are valid.
    /// </summary>
    /// <param name="widthPixels">Frame width, at least 3.</param>
    /// <param name="heightPixels">Frame height, at least 3.</param>
    /// <param name="xChannel">Horizontal position channel (default "x_px", as the CSV importer names it).</param>
    /// <param name="yChannel">Vertical position channel (default "y_px").</param>
    /// <param name="frozenSeconds">Frozen-run length; default <see cref="DefaultCameraFrozenSeconds"/>; null disables the rule.</param>
    public static TrackingCleaning CameraFrame(int widthPixels, int heightPixels, string xChannel = "x_px", string yChannel = "y_px",
        double? frozenSeconds = DefaultCameraFrozenSeconds)
    {
        if (widthPixels < 3) throw new ArgumentOutOfRangeException(nameof(widthPixels), widthPixels, "a camera frame is at least 3 pixels wide");
        if (heightPixels < 3) throw new ArgumentOutOfRangeException(nameof(heightPixels), heightPixels, "a camera frame is at least 3 pixels high");
        return new TrackingCleaning
        {
            Channels =
            [
                new ChannelValidity(xChannel) { Min = 0, Max = widthPixels - 1, Sentinels = [0f, widthPixels - 1] },
                new ChannelValidity(yChannel) { Min = 0, Max = heightPixels - 1, Sentinels = [0f, heightPixels - 1] },
            ],
            MarkWholeSample = true,
            FrozenSeconds = frozenSeconds,
        };
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting or channel.</summary>
    public void Validate()
    {
        if (Channels is null || Channels.Count == 0) throw new ArgumentException("no channel to clean", nameof(Channels));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in Channels)
        {
            if (c is null || string.IsNullOrWhiteSpace(c.Channel)) throw new ArgumentException("a channel rule has no channel name", nameof(Channels));
            if (!seen.Add(c.Channel)) throw new ArgumentException($"channel '{c.Channel}' has two rules", nameof(Channels));
            if (double.IsNaN(c.Min) || double.IsNaN(c.Max) || c.Min > c.Max)
                throw new ArgumentException($"channel '{c.Channel}' has an empty valid range [{c.Min}, {c.Max}]", nameof(Channels));
            if (c.Sentinels is null) throw new ArgumentException($"channel '{c.Channel}' has null sentinels", nameof(Channels));
        }
        if (FrozenSeconds is { } f && !(double.IsFinite(f) && f > 0))
            throw new ArgumentOutOfRangeException(nameof(FrozenSeconds), f, "must be a positive number of seconds, or null");
    }

    /// <summary>Applies the rules to <paramref name="behavior"/> and returns the cleaned copy with what was marked.</summary>
    /// <exception cref="ArgumentException">A listed channel is missing from <paramref name="behavior"/> (the message names
    /// it and lists the channels there are) or a setting is invalid.</exception>
    public TrackingCleaningResult Apply(BehaviorSeries behavior)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        Validate();
        var columns = new int[Channels.Count];
        for (int c = 0; c < columns.Length; c++)
        {
            columns[c] = IndexOf(behavior.ChannelNames, Channels[c].Channel);
            if (columns[c] < 0)
                throw new ArgumentException(
                    $"no behaviour channel '{Channels[c].Channel}' to clean; channels: {string.Join(", ", behavior.ChannelNames)}", nameof(behavior));
        }
        int n = behavior.Count;
        var values = Enumerable.Range(0, behavior.ChannelNames.Count).Select(k => behavior.Channel(k).ToArray()).ToArray();
        var times = behavior.Timestamps;

        // Which (sample, listed channel) are dropouts, judged on the original values.
        var drop = new bool[columns.Length][];
        for (int c = 0; c < columns.Length; c++) drop[c] = new bool[n];
        int invalidSamples = 0, frozenSamples = 0;
        for (int i = 0; i < n; i++)
        {
            bool any = false;
            for (int c = 0; c < columns.Length; c++)
            {
                float v = values[columns[c]][i];
                if (float.IsNaN(v) || Channels[c].IsValid(v)) continue; // already missing values are not counted as dropouts
                drop[c][i] = true;
                any = true;
            }
            if (!any) continue;
            invalidSamples++;
            if (MarkWholeSample) for (int c = 0; c < columns.Length; c++) drop[c][i] = true;
        }
        if (FrozenSeconds is { } frozen)
        {
            int start = 0;
            for (int i = 1; i <= n; i++)
            {
                if (i < n && SameFiniteValues(values, columns, start, i)) continue;
                // Run [start, i): every listed channel equal (and finite) throughout.
                if (i - start > 1 && times[i - 1] - times[start] >= frozen && AllFinite(values, columns, start))
                {
                    frozenSamples += i - start;
                    for (int j = start; j < i; j++) for (int c = 0; c < columns.Length; c++) drop[c][j] = true;
                }
                start = i;
            }
        }

        var marked = new Dictionary<string, int>(StringComparer.Ordinal);
        var sampleMarked = new bool[n];
        for (int c = 0; c < columns.Length; c++)
        {
            var column = values[columns[c]];
            int count = 0;
            for (int i = 0; i < n; i++)
            {
                if (!drop[c][i] || float.IsNaN(column[i])) continue;
                column[i] = float.NaN;
                sampleMarked[i] = true;
                count++;
            }
            marked[Channels[c].Channel] = count;
        }
        var cleaned = new BehaviorSeries(times, behavior.ChannelNames, values);
        return new TrackingCleaningResult(cleaned, sampleMarked.Count(m => m), marked, invalidSamples, frozenSamples);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int k = 0; k < names.Count; k++) if (names[k] == name) return k;
        return -1;
    }

    private static bool SameFiniteValues(float[][] values, int[] columns, int a, int b)
    {
        foreach (int k in columns)
            if (!float.IsFinite(values[k][b]) || values[k][a] != values[k][b]) return false;
        return true;
    }

    private static bool AllFinite(float[][] values, int[] columns, int i)
    {
        foreach (int k in columns) if (!float.IsFinite(values[k][i])) return false;
        return true;
    }
}

/// <summary>What <see cref="TrackingCleaning.Apply"/> did.</summary>
/// <param name="Behavior">The cleaned behaviour (same timestamps and channels; dropouts NaN).</param>
/// <param name="SamplesMarked">Samples in which at least one value was set to NaN.</param>
/// <param name="ValuesMarked">Values set to NaN per cleaned channel.</param>
/// <param name="InvalidSamples">Samples with at least one invalid value (out of range or a sentinel).</param>
/// <param name="FrozenSamples">Samples inside frozen runs (may overlap <paramref name="InvalidSamples"/>).</param>
public sealed record TrackingCleaningResult(BehaviorSeries Behavior, int SamplesMarked, IReadOnlyDictionary<string, int> ValuesMarked,
    int InvalidSamples, int FrozenSamples);
