using System.ComponentModel;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Transforms;

/// <summary>
/// Input row of the augmentation estimators (<see cref="UnitDropoutEstimator"/>, <see cref="SpikeJitterEstimator"/>):
/// the window view's spike columns (<c>IncludeSpikes = true</c>), the row identity that seeds its randomness, and the
/// persisted options. Public only because ML.NET's CustomMapping needs it.
/// </summary>
/// <example><code>
/// // Not used directly: ml.Transforms.DropUnits() reads these columns from the window view.
/// var windows = dataset.AsWindowView(new WindowViewOptions { WindowSeconds = 10, IncludeSpikes = true });
/// </code></example>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class AugmentationWindowRow
{
    /// <summary>Spike times relative to the window start, seconds.</summary>
    [ColumnName(MappingColumns.InSpikeTimes)] public VBuffer<double> SpikeTimes;

    /// <summary>Unit index of each spike.</summary>
    [ColumnName(MappingColumns.InSpikeUnits)] public VBuffer<int> SpikeUnits;

    /// <summary>Population size of the window's session.</summary>
    [ColumnName(ViewColumnNames.UnitCount)] public int UnitCount;

    /// <summary>Window start, seconds.</summary>
    [ColumnName(ViewColumnNames.StartSeconds)] public double Start;

    /// <summary>Window end, seconds.</summary>
    [ColumnName(ViewColumnNames.EndSeconds)] public double End;

    /// <summary>Session id: with the window index, the row's identity for seeding.</summary>
    [ColumnName(ViewColumnNames.SessionId)] public string SessionId = "";

    /// <summary>Index of the window within its session.</summary>
    [ColumnName(ViewColumnNames.WindowIndex)] public int WindowIndex;

    /// <summary>The persisted options (JSON).</summary>
    [ColumnName(PersistedOptions.Column)] public string Options = "";

    /// <summary>The window columns (<see cref="WindowSpikesRow.Bind"/>) plus session_id and window_index, which seed each row's draw.</summary>
    internal static ColumnBindings Bind(string stem, params (string Mapping, string Output)[] outputs)
    {
        var window = WindowSpikesRow.Bind(stem, outputs);
        return window with
        {
            Required = [.. window.Required, (ViewColumnNames.SessionId, TextDataViewType.Instance), (ViewColumnNames.WindowIndex, NumberDataViewType.Int32)],
        };
    }

    /// <summary>The row's spikes as a train on [0, window length) (sorted, unit indices in range, or an error naming the transform).</summary>
    internal SpikeTrain ToSpikeTrain(string transform) => WindowSpikesRow.ToSpikeTrain(SpikeTimes, SpikeUnits, UnitCount, transform);

    /// <summary>The generator this row's augmentation draws from (see <see cref="RowSeed"/>).</summary>
    internal Random Random(int seed) => new(RowSeed.Derive(seed, SessionId, WindowIndex));
}
