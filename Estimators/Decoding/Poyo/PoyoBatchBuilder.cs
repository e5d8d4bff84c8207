using MLNeuro.Transforms;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// Turns windows into a padded <see cref="PoyoBatch"/>: tokenizes each window's spikes (SpikeTokenizer: start/end
/// tokens for every unit, spikes thinned evenly beyond the cap), maps units to vocabulary rows, drops the tokens of
/// units left out by unit dropout, and pads tokens and queries to the batch's longest. Reuses its token buffers.
/// </summary>
internal sealed class PoyoBatchBuilder
{
    private readonly SpikeTokens _tokens = new();
    private readonly SpikeTokenizerOptions _tokenizer;
    private readonly double _windowSeconds;
    private readonly int _channels;

    public PoyoBatchBuilder(PoyoDecodingOptions options)
    {
        _tokenizer = new SpikeTokenizerOptions { MaxTokens = options.MaxTokensPerWindow };
        _windowSeconds = options.WindowSeconds;
        _channels = options.Channels.Count;
    }

    public PoyoBatch Build(IReadOnlyList<PoyoWindow> windows)
    {
        if (windows.Count == 0) throw new ArgumentException("a batch needs at least one window", nameof(windows));
        int b = windows.Count;
        var perWindow = new List<(long[] Unit, long[] Type, float[] Value, double[] Time)>(b);
        foreach (var w in windows) perWindow.Add(Tokenize(w));
        int n = Math.Max(1, perWindow.Max(t => t.Unit.Length));
        int q = Math.Max(1, windows.Max(w => w.QueryTimes.Length));

        var unit = new long[b * n];
        var type = new long[b * n];
        var value = new float[b * n];
        var time = new double[b * n];
        var padding = new bool[b * n];
        var session = new long[b];
        var queryTimes = new double[b * q];
        bool training = windows[0].Targets is not null;
        var targets = training ? new float[b * q * _channels] : null;
        var weights = training ? new float[b * q * _channels] : null;
        for (int i = 0; i < b; i++)
        {
            var (u, ty, v, t) = perWindow[i];
            u.CopyTo(unit, i * n);
            ty.CopyTo(type, i * n);
            v.CopyTo(value, i * n);
            t.CopyTo(time, i * n);
            padding.AsSpan(i * n + u.Length, n - u.Length).Fill(true);
            var w = windows[i];
            session[i] = w.Session.SessionRow;
            for (int k = 0; k < w.QueryTimes.Length; k++) queryTimes[i * q + k] = w.QueryTimes[k] - w.Start;
            if (training)
            {
                var source = w.Targets ?? throw new ArgumentException("every window of a training batch needs targets", nameof(windows));
                for (int k = 0; k < source.Length; k++)
                {
                    float y = source[k];
                    bool finite = float.IsFinite(y);
                    targets![i * q * _channels + k] = finite ? y : 0f;
                    weights![i * q * _channels + k] = finite ? w.Weights?[k / _channels] ?? 1f : 0f;
                }
            }
        }
        return new PoyoBatch
        {
            UnitIndex = tensor(unit).view(b, n),
            TokenType = tensor(type).view(b, n),
            TokenValue = tensor(value).view(b, n),
            TokenTimes = tensor(time, ScalarType.Float64).view(b, n),
            TokenPadding = tensor(padding).view(b, n),
            SessionIndex = tensor(session),
            QueryTimes = tensor(queryTimes, ScalarType.Float64).view(b, q),
            Targets = training ? tensor(targets!).view(b, q, _channels) : null,
            TargetWeights = training ? tensor(weights!).view(b, q, _channels) : null,
        };
    }

    /// <summary>The tokens of one window as the model's inputs: vocabulary rows, types, values and times from the window start.</summary>
    internal (long[] Unit, long[] Type, float[] Value, double[] Time) Tokenize(PoyoWindow window)
    {
        var recording = window.Session.Recording;
        double end = window.Start + _windowSeconds;
        if (recording.Traces is not null && recording.Spikes.Count == 0)
            SpikeTokenizer.TokenizeTraces(recording.Traces, window.Start, end, _tokens);
        else
            SpikeTokenizer.Tokenize(recording, window.Start, end, _tokenizer, _tokens);
        var units = _tokens.UnitIndices;
        var kept = window.KeptUnits;
        int count = 0;
        for (int i = 0; i < units.Length; i++) if (kept is null || kept[units[i]]) count++;
        var outUnit = new long[count];
        var outType = new long[count];
        var outValue = new float[count];
        var outTime = new double[count];
        var rows = window.Session.UnitRows;
        var types = _tokens.Types;
        var values = _tokens.Values;
        var times = _tokens.Times;
        for (int i = 0, k = 0; i < units.Length; i++)
        {
            if (kept is not null && !kept[units[i]]) continue;
            outUnit[k] = rows[units[i]];
            outType[k] = (long)types[i];
            outValue[k] = values[i];
            outTime[k++] = times[i];
        }
        return (outUnit, outType, outValue, outTime);
    }
}
