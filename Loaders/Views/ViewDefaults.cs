namespace MLNeuro.Loaders.Views;

/// <summary>Default values of the view options, in one place so options and documentation agree.</summary>
public static class ViewDefaults
{
    /// <summary>Default of <see cref="NeuronViewOptions.IncludeSpikeTimes"/>: false.</summary>
    public const bool IncludeSpikeTimes = false;

    /// <summary>Default of <see cref="WindowViewOptions.Mode"/>: <see cref="WindowMode.Random"/>.</summary>
    public const WindowMode Mode = WindowMode.Random;

    /// <summary>Default of <see cref="WindowViewOptions.WindowsPerSession"/>: 10.</summary>
    public const int WindowsPerSession = 10;

    /// <summary>Default of <see cref="WindowViewOptions.Seed"/>: 0.</summary>
    public const int Seed = 0;

    /// <summary>Default of <see cref="WindowViewOptions.IncludeSpikes"/>: false.</summary>
    public const bool IncludeSpikes = false;
}
