using Microsoft.ML;
using Microsoft.ML.Data;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Transforms;

/// <summary>
/// POYO-SSL's predictable-neuron selection as an ML.NET estimator over the neuron view: flags each unit with the
/// skewness and excess kurtosis of its binned activity and whether it is predictable. Reached through
/// <c>mlContext.Transforms.SelectPredictableNeurons(options)</c>.
/// </summary>
/// <remarks>
/// <para>Input columns (the neuron view's, with <c>IncludeSpikeTimes = true</c>): <c>spike_times</c> (variable-length
/// vector of Double, absolute seconds), <c>start_s</c> and <c>end_s</c> (Double, the session's domain). Output columns:
/// <c>skewness</c> and <c>kurtosis</c> (Single; NaN when undefined: fewer than two bins or constant activity),
/// <c>predictable</c> (Boolean) and <c>predictable_flag</c> (Single, 1 or 0), which keeps or drops rows with
/// <c>mlContext.Data.FilterRowsByColumn(view, "predictable_flag", 0.5, 1.5)</c> (keep) or <c>(…, -0.5, 0.5)</c> (drop).</para>
/// <para>Statistics and verdicts are <see cref="PredictableNeuronSelector"/>'s on a one-unit recording of the row's
/// spikes over [start_s, end_s) at <see cref="PredictableNeuronOptions.BinSeconds"/>, with the same eligibility rule
/// (<see cref="PredictableNeuronOptions.MinSpikeCount"/>). Thresholds mode: Fit only checks the schema and the
/// thresholds are the options'. Quantile mode: Fit measures every row of the data it is fitted on and learns concrete
/// thresholds: the plain rule orders eligible units by the worse of their skewness and kurtosis ranks, and the units
/// of worse rank &lt;= r are exactly those with skewness &lt;= s(r) and kurtosis &lt;= k(r) (the r-th smallest values);
/// Fit persists (s(r), k(r)) for the r whose unit count is closest to floor(q·n) of the n eligible units (ties to the
/// smaller count). Unlike the plain rule it cannot take part of a tier of equal worse rank, so on the fitted data it
/// flags the plain rule's units plus or minus part of one tier (exactly them when floor(q·n) ends a tier). The fitted
/// model then flags any row, fitted or new, by those thresholds.
/// Only whole-session spike times are supported: <see cref="PredictableNeuronOptions.IntervalKind"/> must be null and
/// <see cref="PredictableNeuronOptions.Source"/> must not be calcium traces (the neuron view has neither).</para>
/// <para>The fitted transformer saves and loads with <c>mlContext.Model.Save/Load</c>, the learned thresholds included
/// (call <see cref="MLNeuroComponents.Register"/> on the loading context).</para>
/// </remarks>
/// <example><code>
/// var neurons = dataset.AsNeuronView(new NeuronViewOptions { IncludeSpikeTimes = true });
/// var model = ml.Transforms.SelectPredictableNeurons(new PredictableNeuronOptions { Mode = PredictableNeuronMode.Quantile, Quantile = 0.5 }).Fit(neurons);
/// var predictable = ml.Data.FilterRowsByColumn(model.Transform(neurons), "predictable_flag", 0.5, 1.5);
/// </code></example>
public sealed class PredictableNeuronEstimator : IEstimator<PersistedTransformer<PredictableNeuronModelOptions>>
{
    /// <summary>Output column of the skewness (Single).</summary>
    public const string SkewnessColumn = "skewness";

    /// <summary>Output column of the excess kurtosis (Single).</summary>
    public const string KurtosisColumn = "kurtosis";

    /// <summary>Output column of the verdict (Boolean).</summary>
    public const string PredictableColumn = "predictable";

    /// <summary>Output column of the verdict as 1 / 0 (Single), for <c>FilterRowsByColumn</c>.</summary>
    public const string PredictableFlagColumn = "predictable_flag";

    private const string Name = "SelectPredictableNeurons";

    private readonly TransformsCatalog _transforms;

    internal PredictableNeuronEstimator(TransformsCatalog transforms, PredictableNeuronOptions options)
    {
        options.Validate();
        if (options.Source == ActivitySource.CalciumTraces)
            throw new ArgumentOutOfRangeException(nameof(PredictableNeuronOptions.Source), options.Source, "the neuron view has no calcium traces; use Auto or BinnedSpikes");
        if (options.IntervalKind is not null)
            throw new ArgumentOutOfRangeException(nameof(PredictableNeuronOptions.IntervalKind), options.IntervalKind, "the neuron view has no intervals; use null (whole session)");
        _transforms = transforms;
        Options = options;
    }

    /// <summary>The options in use.</summary>
    public PredictableNeuronOptions Options { get; }

    /// <summary>Checks the schema (errors name the column and the expected type), learns the thresholds in Quantile mode, returns the transformer.</summary>
    public PersistedTransformer<PredictableNeuronModelOptions> Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        NeuronSpikesRow.Check(input.Schema, Name);
        var persisted = new PredictableNeuronModelOptions
        {
            BinSeconds = Options.BinSeconds,
            MinSpikeCount = Options.MinSpikeCount,
            MaxSkewness = PredictableNeuronModelOptions.Finite(Options.MaxSkewness),
            MaxKurtosis = PredictableNeuronModelOptions.Finite(Options.MaxKurtosis),
        };
        if (Options.Mode == PredictableNeuronMode.Quantile)
        {
            var (skew, kurt) = QuantileThresholds.Learn(MeasureAll(input, persisted), Options.Quantile);
            persisted = persisted with { MaxSkewness = skew, MaxKurtosis = kurt };
        }
        return new PersistedTransformer<PredictableNeuronModelOptions>(Chain(persisted).Fit(input), persisted);
    }

    /// <summary>The output schema for an input schema, checked as in <see cref="Fit"/>.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        NeuronSpikesRow.Check(inputSchema, Name);
        return Chain(new PredictableNeuronModelOptions { BinSeconds = Options.BinSeconds }).GetOutputSchema(inputSchema);
    }

    private IEstimator<ITransformer> Chain(PredictableNeuronModelOptions persisted) =>
        PersistedOptions.Chain<NeuronSpikesRow, PredictableNeuronMapping.Output, PredictableNeuronModelOptions>(
            _transforms, persisted, ViewColumnNames.StartSeconds, PredictableNeuronMapping.ContractName, PredictableNeuronMapping.Map);

    private static List<UnitPredictability> MeasureAll(IDataView input, PredictableNeuronModelOptions persisted)
    {
        var schema = input.Schema;
        var times = schema[ViewColumnNames.SpikeTimes];
        var start = schema[ViewColumnNames.StartSeconds];
        var end = schema[ViewColumnNames.EndSeconds];
        var units = new List<UnitPredictability>();
        using var cursor = input.GetRowCursor([times, start, end]);
        var getTimes = cursor.GetGetter<VBuffer<double>>(times);
        var getStart = cursor.GetGetter<double>(start);
        var getEnd = cursor.GetGetter<double>(end);
        VBuffer<double> buffer = default;
        double s = 0, e = 0;
        while (cursor.MoveNext())
        {
            getTimes(ref buffer);
            getStart(ref s);
            getEnd(ref e);
            units.Add(SingleUnitMeasure.Measure(buffer.DenseValues().ToArray(), s, e, persisted));
        }
        return units;
    }
}
