using System.Globalization;
using System.Text.Json;

namespace MLNeuro.Estimators;

/// <summary>
/// What a training run was asked to do, recorded in its checkpoint: the optimisation settings (steps, schedule,
/// learning rate, weight decay, clipping, seed) and what the caller adds (model options, the sessions trained on).
/// Resuming compares them, so a run continued with other settings is refused rather than mislabelled.
/// </summary>
internal sealed class TrainingRunSettings
{
    private readonly SortedDictionary<string, string> _values;

    private TrainingRunSettings(SortedDictionary<string, string> values) => _values = values;

    /// <summary>
    /// The settings of <paramref name="options"/> plus the caller's entries, each a JSON value (e.g. "model" -> the
    /// model options as JSON, "sessions" -> an array of session ids).
    /// </summary>
    public static TrainingRunSettings Of(TrainingOptions options, IReadOnlyDictionary<string, string>? extra = null)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["steps"] = options.TotalSteps.ToString(CultureInfo.InvariantCulture),
            ["warmup_steps"] = options.WarmupSteps.ToString(CultureInfo.InvariantCulture),
            ["learning_rate"] = options.LearningRate.ToString("R", CultureInfo.InvariantCulture),
            ["weight_decay"] = options.WeightDecay.ToString("R", CultureInfo.InvariantCulture),
            ["clip_norm"] = options.ClipNorm.ToString("R", CultureInfo.InvariantCulture),
            ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
        };
        // Added with LAMB and the peak hold: recorded only when not the default, so that checkpoints written before
        // these options existed (AdamW, no hold) still match and resume.
        if (options.Optimizer != TrainingOptimizer.AdamW) values["optimizer"] = options.Optimizer.ToString();
        if (options.PeakHoldFraction != 0) values["peak_hold_fraction"] = options.PeakHoldFraction.ToString("R", CultureInfo.InvariantCulture);
        if (options.FinalLearningRateFraction != 0) values["final_lr_fraction"] = options.FinalLearningRateFraction.ToString("R", CultureInfo.InvariantCulture);
        if (options.CycleBeta1) values["cycle_beta1"] = "true";
        if (extra is not null)
            foreach (var (key, json) in extra) Flatten(key, JsonDocument.Parse(json).RootElement, values);
        return new TrainingRunSettings(values);
    }

    // Options objects become one entry per leaf ("model.encoder.depth"), so a mismatch names the setting that differs.
    private static void Flatten(string key, JsonElement element, SortedDictionary<string, string> values)
    {
        if (element.ValueKind == JsonValueKind.Object)
            foreach (var property in element.EnumerateObject()) Flatten($"{key}.{property.Name}", property.Value, values);
        else
            values[key] = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
    }

    /// <summary>The caller's part of a model's run settings: its options (JSON) and the sessions it trains on.</summary>
    public static IReadOnlyDictionary<string, string> ModelAndSessions(string modelOptionsJson, IEnumerable<string> sessionIds) =>
        new Dictionary<string, string>
        {
            ["model"] = modelOptionsJson,
            ["sessions"] = JsonSerializer.Serialize(sessionIds.ToArray()),
        };

    /// <summary>The settings as one JSON object.</summary>
    public string ToJson() => JsonSerializer.Serialize(_values);

    /// <summary>Parses <see cref="ToJson"/>'s output; <paramref name="path"/> names the file in errors.</summary>
    public static TrainingRunSettings FromJson(string json, string path)
    {
        try
        {
            var values = JsonSerializer.Deserialize<Dictionary<string, string>>(json)
                ?? throw new InvalidDataException($"{path}: the checkpoint's settings are empty.");
            return new TrainingRunSettings(new SortedDictionary<string, string>(values, StringComparer.Ordinal));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the checkpoint's settings are not readable ({e.Message}).", e);
        }
    }

    /// <summary>One line per setting that differs: "name: checkpoint X, now Y" (long values shortened).</summary>
    public IReadOnlyList<string> DifferencesFrom(TrainingRunSettings written)
    {
        var differences = new List<string>();
        foreach (var key in _values.Keys.Union(written._values.Keys).Order(StringComparer.Ordinal))
        {
            var now = _values.GetValueOrDefault(key);
            var then = written._values.GetValueOrDefault(key);
            if (now != then) differences.Add($"{key}: checkpoint {Show(then)}, now {Show(now)}");
        }
        return differences;
    }

    private static string Show(string? value) => value is null ? "(not set)" : value.Length <= 60 ? value : $"{value[..57]}...";
}
