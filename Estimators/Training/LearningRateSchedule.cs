namespace MLNeuro.Estimators;

/// <summary>Linear warmup then cosine decay to zero, as a function of the 0-based step about to be taken.</summary>
internal static class LearningRateSchedule
{
    /// lr(s) = peak * (s+1)/W for s &lt; W; then peak * 0.5 * (1 + cos(pi * (s-W)/(T-W))).
    /// Warmup counts from s+1 so that the first step already moves the weights.
    public static double At(int step, double peak, int warmupSteps, int totalSteps)
    {
        if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
        int decaySteps = totalSteps - warmupSteps;
        if (decaySteps <= 0) return peak;
        double progress = Math.Min(1.0, (double)(step - warmupSteps) / decaySteps);
        return peak * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
