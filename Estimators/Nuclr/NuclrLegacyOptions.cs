using System.Text.Json;

namespace MLNeuro.Estimators;

/// <summary>
/// MLNeuro's NuCLR behaviours from before the reference recipe was adopted, by the audit row (docs/nuclr.md,
/// 'Reference mode') that replaced each. Used two ways: to read artifacts whose options JSON predates a setting (the
/// setting then means what the artifact was trained with), and to switch single behaviours back for ablations
/// (<see cref="Apply"/>; the CLI's <c>--legacy</c>).
/// </summary>
public static class NuclrLegacyOptions
{
    /// <summary>N4: embedding ignores the training cap and the population column (every unit of a session in one population).</summary>
    public const string Population = "population";

    /// <summary>N5: silent units are tokens, negatives and averaged windows.</summary>
    public const string ActiveUnits = "active";

    /// <summary>N6: no dropout.</summary>
    public const string Dropout = "dropout";

    /// <summary>N7: log1p(counts) in.</summary>
    public const string Input = "input";

    /// <summary>N8: rotary on every head dim, values not rotated, no q/k/v bias, a final LayerNorm.</summary>
    public const string Attention = "attention";

    /// <summary>N9: negatives only among units kept in both views, within-view similarities divided by tau.</summary>
    public const string Negatives = "negatives";

    /// <summary>N10: projector output min(128, Dim).</summary>
    public const string Projector = "projector";

    /// <summary>N12: sessions drawn uniformly per sample rather than in proportion to their windows.</summary>
    public const string Sessions = "sessions";

    /// <summary>N11: the CLI's earlier schedule, peak learning rate 1e-3 and warmup of min(100, steps / 10) (training options: <see cref="ApplySchedule"/>).</summary>
    public const string Schedule = "schedule";

    /// <summary>Every item above.</summary>
    public static IReadOnlyList<string> All { get; } = [Population, ActiveUnits, Dropout, Input, Attention, Negatives, Projector, Sessions, Schedule];

    /// <summary>
    /// <paramref name="training"/> with the CLI's earlier schedule (item <see cref="Schedule"/>): peak learning rate 1e-3
    /// unless <paramref name="learningRate"/> is given, warmup min(100, TotalSteps / 10).
    /// </summary>
    public static TrainingOptions ApplySchedule(TrainingOptions training, double? learningRate = null)
    {
        ArgumentNullException.ThrowIfNull(training);
        return training with { LearningRate = learningRate ?? 1e-3, WarmupSteps = Math.Min(100, training.TotalSteps / 10) };
    }

    /// <summary>
    /// <paramref name="options"/> with the named behaviours switched back to MLNeuro's earlier ones; "all" names every
    /// item (<see cref="Schedule"/> concerns training options and changes nothing here). Throws <see cref="ArgumentException"/> naming an unknown item.
    /// </summary>
    public static NuclrModelOptions Apply(NuclrModelOptions options, IEnumerable<string> items)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(items);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
        {
            if (item.Equals("all", StringComparison.OrdinalIgnoreCase)) set.UnionWith(All);
            else if (All.Contains(item, StringComparer.OrdinalIgnoreCase)) set.Add(item);
            else throw new ArgumentException($"unknown legacy item '{item}'; known: {string.Join(", ", All)}, all", nameof(items));
        }
        var encoder = options.Encoder;
        var sampling = options.Sampling;
        var objective = options.Objective;
        if (set.Contains(Population)) sampling = sampling with { EmbedWithTrainingCap = false, PopulationColumn = null };
        if (set.Contains(ActiveUnits)) sampling = sampling with { ActiveUnitsOnly = false };
        if (set.Contains(Sessions)) sampling = sampling with { WeightSessionsByWindows = false };
        if (set.Contains(Dropout)) encoder = encoder with { Dropout = 0 };
        if (set.Contains(Input)) encoder = encoder with { Input = NuclrInput.Log1p };
        if (set.Contains(Attention)) encoder = encoder with { RotateHalf = false, RotateValues = false, QkvBias = false, FinalNorm = true };
        if (set.Contains(Negatives)) objective = objective with { Negatives = DclNegatives.SharedUnits };
        int projector = set.Contains(Projector) ? Math.Min(128, encoder.Dim) : options.ProjectorDim;
        return options with { Encoder = encoder, Sampling = sampling, Objective = objective, ProjectorDim = projector };
    }

    /// <summary>
    /// Options deserialised from <paramref name="json"/> with every setting the JSON does not mention set to its earlier
    /// value: an artifact written before the setting existed was trained that way.
    /// </summary>
    internal static NuclrModelOptions FillMissing(NuclrModelOptions options, string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        bool Has(string section, string name) =>
            root.TryGetProperty(section, out var s) && s.ValueKind == JsonValueKind.Object && s.TryGetProperty(name, out _);
        var encoder = options.Encoder;
        if (!Has(nameof(NuclrModelOptions.Encoder), nameof(NuclrEncoderOptions.Input))) encoder = encoder with { Input = NuclrInput.Log1p };
        if (!Has(nameof(NuclrModelOptions.Encoder), nameof(NuclrEncoderOptions.Dropout))) encoder = encoder with { Dropout = 0 };
        if (!Has(nameof(NuclrModelOptions.Encoder), nameof(NuclrEncoderOptions.RotateHalf))) encoder = encoder with { RotateHalf = false };
        if (!Has(nameof(NuclrModelOptions.Encoder), nameof(NuclrEncoderOptions.RotateValues))) encoder = encoder with { RotateValues = false };
        if (!Has(nameof(NuclrModelOptions.Encoder), nameof(NuclrEncoderOptions.QkvBias))) encoder = encoder with { QkvBias = false };
        if (!Has(nameof(NuclrModelOptions.Encoder), nameof(NuclrEncoderOptions.FinalNorm))) encoder = encoder with { FinalNorm = true };
        var sampling = options.Sampling;
        if (!Has(nameof(NuclrModelOptions.Sampling), nameof(NuclrSamplingOptions.ActiveUnitsOnly))) sampling = sampling with { ActiveUnitsOnly = false };
        if (!Has(nameof(NuclrModelOptions.Sampling), nameof(NuclrSamplingOptions.EmbedWithTrainingCap))) sampling = sampling with { EmbedWithTrainingCap = false };
        if (!Has(nameof(NuclrModelOptions.Sampling), nameof(NuclrSamplingOptions.PopulationColumn))) sampling = sampling with { PopulationColumn = null };
        if (!Has(nameof(NuclrModelOptions.Sampling), nameof(NuclrSamplingOptions.WeightSessionsByWindows))) sampling = sampling with { WeightSessionsByWindows = false };
        var objective = options.Objective;
        if (!Has(nameof(NuclrModelOptions.Objective), nameof(ObjectiveOptions.Negatives))) objective = objective with { Negatives = DclNegatives.SharedUnits };
        return options with { Encoder = encoder, Sampling = sampling, Objective = objective };
    }
}
