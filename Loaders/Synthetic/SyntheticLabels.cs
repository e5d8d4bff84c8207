namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// The label values synthetic recordings carry: cell types (<see cref="UnitInfo.CellType"/>), tuning kinds (unit metadata
/// column <see cref="TuningColumn"/>), trial conditions and the names of the other metadata columns.
/// </summary>
/// <example><code>
/// bool bursty = unit.CellType == SyntheticLabels.Bursting;
/// bool place = unit.GetMetadata(SyntheticLabels.TuningColumn) == SyntheticLabels.PlaceTuning;
/// </code></example>
public static class SyntheticLabels
{
    /// <summary>Regular-spiking: moderate rate, 2-3 ms refractory period, spike-frequency adaptation.</summary>
    public const string RegularSpiking = "regular_spiking";

    /// <summary>Fast-spiking: high rate, about 1 ms refractory period, regular firing, no adaptation.</summary>
    public const string FastSpiking = "fast_spiking";

    /// <summary>Bursting: bursts of 2-6 spikes at 3-8 ms intervals separated by long pauses.</summary>
    public const string Bursting = "bursting";

    /// <summary>Low-rate irregular: sparse, Poisson-like firing.</summary>
    public const string LowRateIrregular = "low_rate_irregular";

    /// <summary>All cell types, in the order of their codes.</summary>
    public static IReadOnlyList<string> CellTypes { get; } = new[] { RegularSpiking, FastSpiking, Bursting, LowRateIrregular };

    /// <summary>Unit metadata column naming what the unit is tuned to: <see cref="NoTuning"/>, <see cref="PlaceTuning"/> or <see cref="VelocityTuning"/>.</summary>
    public const string TuningColumn = "tuning";

    /// <summary>Not tuned to behaviour.</summary>
    public const string NoTuning = "none";

    /// <summary>A Gaussian place field.</summary>
    public const string PlaceTuning = "place";

    /// <summary>Cosine tuning to the velocity vector.</summary>
    public const string VelocityTuning = "velocity";

    /// <summary>Unit metadata: the rate the model aims at before refractoriness and adaptation, Hz.</summary>
    public const string ModelRateColumn = "model_rate_hz";

    /// <summary>Unit metadata: spikes generated divided by the session length, Hz (the realised mean rate).</summary>
    public const string MeanRateColumn = "mean_rate_hz";

    /// <summary>Unit metadata: absolute refractory period in milliseconds; no inter-spike interval is shorter.</summary>
    public const string RefractoryColumn = "refractory_ms";

    /// <summary>Unit metadata: place-field centre x in metres (place-tuned units only).</summary>
    public const string PlaceXColumn = "place_x_m";

    /// <summary>Unit metadata: place-field centre y in metres (place-tuned units only).</summary>
    public const string PlaceYColumn = "place_y_m";

    /// <summary>Unit metadata: preferred movement direction in degrees, 0 = +x, 90 = +y (velocity-tuned units only).</summary>
    public const string PreferredDirectionColumn = "preferred_direction_deg";

    /// <summary>Interval kind of the consecutive trials.</summary>
    public const string TrialKind = "trial";

    /// <summary>Interval kind of the one epoch spanning the session.</summary>
    public const string EpochKind = "epoch";

    /// <summary>Trial condition: the animal forages (normal speed, higher arousal).</summary>
    public const string RunCondition = "run";

    /// <summary>Trial condition: the animal mostly sits still (low speed, lower arousal).</summary>
    public const string RestCondition = "rest";
}
