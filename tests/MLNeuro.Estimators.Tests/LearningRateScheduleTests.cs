namespace MLNeuro.Estimators.Tests;

/// The peak-hold schedule is PyTorch's OneCycleLR as POYO's reference configures it (div_factor 1, pct_start 0.5).
public sealed class LearningRateScheduleTests
{
    [Fact]
    public void Peak_is_held_for_the_hold_fraction_then_cosine_reaches_the_final_rate_at_the_last_step()
    {
        const double peak = 4e-3, floor = peak * 1e-4;
        var o = new TrainingOptions { LearningRate = peak, WarmupSteps = 0, TotalSteps = 100, PeakHoldFraction = 0.5, FinalLearningRateFraction = 1e-4 };
        Assert.Equal(peak, LearningRateSchedule.At(0, o), 15);
        Assert.Equal(peak, LearningRateSchedule.At(49, o), 15);       // OneCycleLR's first phase ends at pct·T - 1
        Assert.Equal(floor + (peak - floor) / 2 * (1 + Math.Cos(Math.PI / 50)), LearningRateSchedule.At(50, o), 15);
        Assert.Equal((peak + floor) / 2, LearningRateSchedule.At(74, o), 15);
        Assert.Equal(floor, LearningRateSchedule.At(99, o), 15);
    }

    [Fact]
    public void Beta1_cycles_from_095_to_085_over_the_hold_and_back()
    {
        var o = new TrainingOptions { LearningRate = 1e-3, WarmupSteps = 0, TotalSteps = 100, PeakHoldFraction = 0.5, CycleBeta1 = true };
        Assert.Equal(0.95, LearningRateSchedule.Beta1At(0, o)!.Value, 12);
        Assert.Equal(0.85, LearningRateSchedule.Beta1At(49, o)!.Value, 12);
        Assert.Equal(0.90, LearningRateSchedule.Beta1At(74, o)!.Value, 12);
        Assert.Equal(0.95, LearningRateSchedule.Beta1At(99, o)!.Value, 12);
        Assert.Null(LearningRateSchedule.Beta1At(10, o with { CycleBeta1 = false }));
    }

    [Fact]
    public void Without_the_new_options_the_schedule_is_unchanged()
    {
        var o = new TrainingOptions { LearningRate = 5e-4, WarmupSteps = 10, TotalSteps = 110 };
        foreach (int s in new[] { 0, 4, 10, 35, 60, 109 })
            Assert.Equal(LearningRateSchedule.At(s, 5e-4, 10, 110), LearningRateSchedule.At(s, o));
    }

    [Fact]
    public void Checkpoint_settings_of_default_options_have_exactly_the_keys_older_checkpoints_hold()
    {
        // Older AdamW checkpoints recorded these keys only; a new key on default options would refuse to resume them.
        var json = System.Text.Json.JsonDocument.Parse(TrainingRunSettings.Of(new TrainingOptions()).ToJson());
        Assert.Equal(["clip_norm", "learning_rate", "seed", "steps", "warmup_steps", "weight_decay"],
            json.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var lamb = System.Text.Json.JsonDocument.Parse(TrainingRunSettings.Of(new TrainingOptions { Optimizer = TrainingOptimizer.Lamb, PeakHoldFraction = 0.5 }).ToJson());
        Assert.Equal("Lamb", lamb.RootElement.GetProperty("optimizer").GetString());
        Assert.Equal("0.5", lamb.RootElement.GetProperty("peak_hold_fraction").GetString());
    }
}
