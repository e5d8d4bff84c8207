namespace MLNeuro.Estimators;

/// <summary>
/// The learning rate (and, when cycled, Adam's beta1) of the 0-based step about to be taken. Two shapes:
/// <list type="bullet">
/// <item>without a peak hold (<see cref="TrainingOptions.PeakHoldFraction"/> 0): linear warmup, then cosine from the
/// end of warmup down to <see cref="TrainingOptions.FinalLearningRateFraction"/> x peak (0 by default);</item>
/// <item>with one: PyTorch's OneCycleLR as POYO's reference configures it (div_factor 1, pct_start = the hold
/// fraction, cosine annealing): the peak from the first step to step hold·T - 1, then cosine to the final rate,
/// reached at the last step T - 1. A warmup, if any, still comes first, and the hold ends no earlier than the warmup.</item>
/// </list>
/// </summary>
internal static class LearningRateSchedule
{
    /// <summary>OneCycleLR's default beta1 range (max_momentum 0.95, base_momentum 0.85), cycled inversely to the rate.</summary>
    internal const double Beta1Max = 0.95, Beta1Base = 0.85;

    /// lr(s) = peak * (s+1)/W for s &lt; W; then peak * 0.5 * (1 + cos(pi * (s-W)/(T-W))).
    /// Warmup counts from s+1 so that the first step already moves the weights.
    public static double At(int step, double peak, int warmupSteps, int totalSteps) => At(step, peak, warmupSteps, totalSteps, 0, 0);

    /// <summary>The learning rate of <paramref name="step"/> under <paramref name="options"/>.</summary>
    public static double At(int step, TrainingOptions options) =>
        At(step, options.LearningRate, options.WarmupSteps, options.TotalSteps, options.PeakHoldFraction, options.FinalLearningRateFraction);

    internal static double At(int step, double peak, int warmupSteps, int totalSteps, double holdFraction, double finalFraction)
    {
        if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
        double floor = peak * finalFraction;
        if (holdFraction <= 0)
        {
            int decaySteps = totalSteps - warmupSteps;
            if (decaySteps <= 0) return peak;
            double progress = Math.Min(1.0, (double)(step - warmupSteps) / decaySteps);
            return Anneal(peak, floor, progress);
        }
        double pct = DecayProgress(step, warmupSteps, totalSteps, holdFraction);
        return pct <= 0 ? peak : Anneal(peak, floor, pct);
    }

    /// <summary>
    /// Beta1 of <paramref name="step"/> when <see cref="TrainingOptions.CycleBeta1"/> is on (null otherwise): OneCycleLR
    /// anneals it by cosine from 0.95 to 0.85 over the hold and back to 0.95 over the decay.
    /// </summary>
    public static double? Beta1At(int step, TrainingOptions options)
    {
        if (!options.CycleBeta1) return null;
        double holdEnd = HoldEnd(options.WarmupSteps, options.TotalSteps, options.PeakHoldFraction);
        if (step <= holdEnd)
            return holdEnd <= 0 ? Beta1Base : Anneal(Beta1Max, Beta1Base, step / holdEnd);
        return Anneal(Beta1Base, Beta1Max, DecayProgress(step, options.WarmupSteps, options.TotalSteps, options.PeakHoldFraction));
    }

    // OneCycleLR's first phase ends at step pct·T - 1 (a real number); ours never before the warmup's last step.
    private static double HoldEnd(int warmupSteps, int totalSteps, double holdFraction) =>
        Math.Max(warmupSteps, holdFraction * totalSteps) - 1;

    // OneCycleLR's second phase: (s - holdEnd) / (T - 1 - holdEnd), clamped to [0, 1].
    private static double DecayProgress(int step, int warmupSteps, int totalSteps, double holdFraction)
    {
        double holdEnd = HoldEnd(warmupSteps, totalSteps, holdFraction);
        double span = totalSteps - 1 - holdEnd;
        if (span <= 0) return 0;
        return Math.Clamp((step - holdEnd) / span, 0, 1);
    }

    // Cosine from start (progress 0) to end (progress 1), OneCycleLR's _annealing_cos.
    private static double Anneal(double start, double end, double progress) => end + (start - end) / 2 * (1 + Math.Cos(Math.PI * progress));
}
