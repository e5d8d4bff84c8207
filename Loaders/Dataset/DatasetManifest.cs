using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLNeuro.Loaders;

/// <summary>
/// The contents of <c>dataset.json</c>: format version, provenance and one entry per session. It is the index of a
/// dataset folder: readers find every session's files through it, so tools can list a dataset without opening Parquet.
/// </summary>
public sealed class DatasetManifest
{
    /// <summary>The value of <see cref="Format"/> in every MLNeuro dataset.</summary>
    public const string FormatName = "mlneuro.dataset";

    /// <summary>The format version this library writes; readers accept this version and older ones.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Always <see cref="FormatName"/>.</summary>
    [JsonPropertyName("format")] public string Format { get; init; } = FormatName;

    /// <summary>Layout version (see README, "Dataset format").</summary>
    [JsonPropertyName("format_version")] public int FormatVersion { get; init; } = CurrentVersion;

    /// <summary>Unit of every timestamp in the dataset: always seconds.</summary>
    [JsonPropertyName("time_unit")] public string TimeUnit { get; init; } = "s";

    /// <summary>When the dataset was written (UTC, ISO 8601).</summary>
    [JsonPropertyName("created_utc")] public string CreatedUtc { get; init; } = "";

    /// <summary>Program and version that wrote it.</summary>
    [JsonPropertyName("writer")] public string Writer { get; init; } = "";

    /// <summary>Where the data came from: source files, generator and seed, licence, citation.</summary>
    [JsonPropertyName("provenance")] public Dictionary<string, string> Provenance { get; init; } = new();

    /// <summary>Sessions in the order they were written.</summary>
    [JsonPropertyName("sessions")] public List<SessionEntry> Sessions { get; init; } = new();

    internal static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    internal static DatasetManifest Load(string path)
    {
        DatasetManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<DatasetManifest>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, $"not valid JSON: {e.Message}", inner: e);
        }
        if (manifest is null || manifest.Format != FormatName)
            throw new DataFormatException(path, $"not an MLNeuro dataset manifest (\"format\" must be \"{FormatName}\")", column: "format");
        if (manifest.FormatVersion < 1 || manifest.FormatVersion > CurrentVersion)
            throw new DataFormatException(path, $"format_version {manifest.FormatVersion} is not supported by this MLNeuro (reads 1..{CurrentVersion}); upgrade MLNeuro", column: "format_version");
        if (manifest.TimeUnit != "s")
            throw new DataFormatException(path, $"time_unit '{manifest.TimeUnit}' is not supported (only 's')", column: "time_unit");
        return manifest;
    }
}

/// <summary>One session of a dataset as <c>dataset.json</c> lists it.</summary>
public sealed class SessionEntry
{
    /// <summary>Session identifier, unique in the dataset.</summary>
    [JsonPropertyName("session_id")] public string SessionId { get; init; } = "";

    /// <summary>Subject identifier.</summary>
    [JsonPropertyName("subject_id")] public string SubjectId { get; init; } = "";

    /// <summary>Start of the recorded domain, seconds.</summary>
    [JsonPropertyName("start_s")] public double StartSeconds { get; init; }

    /// <summary>End of the recorded domain (exclusive), seconds.</summary>
    [JsonPropertyName("end_s")] public double EndSeconds { get; init; }

    /// <summary>Number of units.</summary>
    [JsonPropertyName("units")] public int UnitCount { get; init; }

    /// <summary>Number of spikes.</summary>
    [JsonPropertyName("spikes")] public long SpikeCount { get; init; }

    /// <summary>Behaviour channel names (empty when the session has no behaviour).</summary>
    [JsonPropertyName("behavior_channels")] public List<string> BehaviorChannels { get; init; } = new();

    /// <summary>Number of intervals of this session in <c>intervals.parquet</c>.</summary>
    [JsonPropertyName("intervals")] public int IntervalCount { get; init; }

    /// <summary>Spike file, relative to the dataset folder.</summary>
    [JsonPropertyName("spikes_file")] public string SpikesFile { get; init; } = "";

    /// <summary>Behaviour file relative to the dataset folder, or null.</summary>
    [JsonPropertyName("behavior_file")] public string? BehaviorFile { get; init; }

    /// <summary>Calcium trace file relative to the dataset folder, or null.</summary>
    [JsonPropertyName("traces_file")] public string? TracesFile { get; init; }

    /// <summary>Length of the domain in seconds.</summary>
    [JsonIgnore] public double DurationSeconds => EndSeconds - StartSeconds;
}
