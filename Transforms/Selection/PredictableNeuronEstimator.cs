using Microsoft.ML;
using Microsoft.ML.Data;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Transforms;

/// <summary>
/// POYO-SSL's predictable-neuron selection as an ML.NET estimator over the neuron view: flags each unit with the
/// skewness and excess kurtosis of its binned activity and whether it is predictable. Reached through
/// <c>mlContext.Transforms.SelectPredictableNeurons("predictable", options: options)</c>.
/// </summary>
/// <remarks>
/// <para>Input columns (the neuron view's, with <c>IncludeSpikeTimes = true</c>): <c>{stem}_times</c> (stem "spike"
/// unless inputColumnName names another; variable-length vector of Double, absolute seconds), <c>start_s</c> and
/// <c>end_s</c> (Double, the session's domain). Output columns, for the output name (usually "predictable"): the verdict
/// (Boolean), <c>{output}_flag</c> (Single, 1 or 0), which keeps or drops rows with
/// <c>mlContext.Data.FilterRowsByColumn(view, "predictable_flag", 0.5, 1.5)</c> (keep) or <c>(…, -0.5, 0.5)</c> (drop),
/// and <c>{output}_skewness</c> and <c>{output}_kurtosis</c> (Single; NaN when undefined: fewer than two bins or
/// constant activity).</para>
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
/// var model = ml.Transforms.SelectPredictableNeurons("predictable", options: new PredictableNeuronOptions { Mode = PredictableNeuronMode.Quantile, Quantile = 0.5 }).Fit(neurons);
/// var predictable = ml.Data.FilterRowsByColumn(model.Transform(neurons), "predictable_flag", 0.5, 1.5);
/// </code></example>
public sealed class PredictableNeuronEstimator : IEstimator<PersistedTransformer<PredictableNeuronModelOptions>>
{
    /// <summary>Suffix of the verdict-as-1/0 column (Single), for <c>FilterRowsByColumn</c>: <c>{output}_flag</c>.</summary>
    public const string FlagSuffix = "_flag";

    /// <summary>Suffix of the skewness column (Single): <c>{output}_skewness</c>.</summary>
    public const string SkewnessSuffix = "_skewness";

    /// <summary>Suffix of the excess-kurtosis column (Single): <c>{output}_kurtosis</c>.</summary>
    public const string KurtosisSuffix = "_kurtosis";

    private const string Name = "SelectPredictableNeurons";

    private readonly TransformsCatalog _transforms;
    private readonly ColumnBindings _columns;
    private readonly string _timesColumn;

    internal PredictableNeuronEstimator(TransformsCatalog transforms, string outputColumnName, string inputColumnName, PredictableNeuronOptions options)
    {
        ColumnBindings.CheckName(outputColumnName, nameof(outputColumnName));
        _timesColumn = SpikeColumns.Times(inputColumnName);
        _columns = NeuronSpikesRow.Bind(inputColumnName,
            (PredictableNeuronMapping.PredictableColumn, outputColumnName),
            (PredictableNeuronMapping.FlagColumn, outputColumnName + FlagSuffix),
            (PredictableNeuronMapping.SkewnessColumn, outputColumnName + SkewnessSuffix),
            (PredictableNeuronMapping.KurtosisColumn, outputColumnName + KurtosisSuffix));
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
        SchemaChecks.RequireAll(input.Schema, _columns.Required, Name);
        var persisted = new PredictableNeuronModelOptions
        {
            BinSeconds = Options.BinSeconds,
            MinSpikeCount = Options.MinSpikeCount,
            MaxSkewness = PredictableNeuronModelOptions.Finite(Options.MaxSkewness),
            MaxKurtosis = PredictableNeuronModelOptions.Finite(Options.MaxKurtosis),
        };
        if (Options.Mode == PredictableNeuronMode.Quantile)
        {
            var (skew, kurt) = QuantileThresholds.Learn(MeasureAll(input, _timesColumn, persisted), Options.Quantile);
            persisted = persisted with { MaxSkewness = skew, MaxKurtosis = kurt };
        }
        return new PersistedTransformer<PredictableNeuronModelOptions>(Chain(persisted).Fit(input), persisted);
    }

    /// <summary>The output schema for an input schema, checked as in <see cref="Fit"/>.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        SchemaChecks.RequireAll(inputSchema, _columns.Required, Name);
        return Chain(new PredictableNeuronModelOptions { BinSeconds = Options.BinSeconds }).GetOutputSchema(inputSchema);
    }

    private IEstimator<ITransformer> Chain(PredictableNeuronModelOptions persisted) =>
        PersistedOptions.Chain<NeuronSpikesRow, PredictableNeuronMapping.Output, PredictableNeuronModelOptions>(
            _transforms, persisted, ViewColumnNames.StartSeconds, PredictableNeuronMapping.ContractName, PredictableNeuronMapping.Map, _columns);

    private static List<UnitPredictability> MeasureAll(IDataView input, string timesColumn, PredictableNeuronModelOptions persisted)
    {
        var schema = input.Schema;
        var times = schema[timesColumn];
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
