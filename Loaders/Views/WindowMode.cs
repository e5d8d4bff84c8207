namespace MLNeuro.Loaders.Views;

/// <summary>How <see cref="WindowSampler"/> places windows.</summary>
public enum WindowMode
{
    /// <summary>A fixed number of windows per session at uniformly random positions (seeded; windows may overlap).</summary>
    Random = 0,

    /// <summary>Windows from the start of each eligible region, one every stride, as long as a whole window fits.</summary>
    Sequential = 1,
}
