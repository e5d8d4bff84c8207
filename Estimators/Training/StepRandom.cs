namespace MLNeuro.Estimators;

/// <summary>
/// The generator a training step draws its batch from: a function of the run's seed and the step index only, so a
/// resumed run (in another process) draws exactly the batches the uninterrupted run would have. Every model's trainer
/// uses it; the loop's own torch generator covers dropout and masks.
/// </summary>
internal static class StepRandom
{
    /// <summary>The generator of step <paramref name="step"/>'s batch.</summary>
    // HashCode.Combine is randomised per process, so a fixed SplitMix64 mix keeps resumed runs in another process identical.
    public static Random For(long seed, int step)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)step + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return new Random((int)(z & 0x7FFFFFFF));
    }
}
