namespace MLNeuro.Loaders;

/// <summary>Which parts of a session to read; the units table and intervals are small and always read.</summary>
[Flags]
public enum RecordingParts
{
    /// <summary>Only the units table, domain and intervals.</summary>
    None = 0,

    /// <summary>Spike timestamps and unit indices.</summary>
    Spikes = 1,

    /// <summary>Behaviour channels.</summary>
    Behavior = 2,

    /// <summary>Calcium traces.</summary>
    Traces = 4,

    /// <summary>Everything.</summary>
    All = Spikes | Behavior | Traces,
}
