using MLNeuro.Loaders;
using MLNeuro.Transforms;
using static MLNeuro.Estimators.Tests.TorchTestHelpers;
using static TorchSharp.torch;

namespace MLNeuro.Estimators.Tests;

public sealed class PoyoModelTests
{
    private static readonly PoyoDecodingOptions Options = new() { Model = PoyoModelOptions.Tiny, Channels = ["a", "b", "c"], BatchSize = 4 };

    private static PoyoModel Model(int units = 6, int sessions = 2, ulong seed = 3)
    {
        using var g = new Generator(seed);
        return new PoyoModel(PoyoModelOptions.Tiny, units, sessions, 3, 1.0, g);
    }

    /// A batch of one window with the given tokens (unit row, type, time) and query times.
    private static PoyoBatch Batch(IReadOnlyList<(long Unit, long Type, double Time)> tokens, double[] queries, int padTo = 0, long session = 1)
    {
        int n = Math.Max(tokens.Count, padTo);
        var unit = new long[n];
        var type = new long[n];
        var time = new double[n];
        var padding = new bool[n];
        for (int i = 0; i < n; i++)
        {
            if (i < tokens.Count) (unit[i], type[i], time[i]) = tokens[i];
            else padding[i] = true;
        }
        return new PoyoBatch
        {
            UnitIndex = tensor(unit).view(1, n),
            TokenType = tensor(type).view(1, n),
            TokenValue = zeros(1, n),
            TokenTimes = tensor(time, ScalarType.Float64).view(1, n),
            TokenPadding = tensor(padding).view(1, n),
            SessionIndex = tensor(new[] { session }),
            QueryTimes = tensor(queries, ScalarType.Float64).view(1, queries.Length),
        };
    }

    private static readonly (long, long, double)[] Tokens =
    [
        (0, 1, 0.0), (3, 1, 0.0), (0, 0, 0.12), (3, 0, 0.31), (0, 0, 0.55), (3, 0, 0.91), (0, 2, 1.0), (3, 2, 1.0),
    ];

    [Fact]
    public void Output_has_one_row_per_query_and_channel()
    {
        UseOneThread();
        using var model = Model();
        using var batch = Batch(Tokens, [0.1, 0.5, 0.9, 0.95]);
        using var output = model.forward(batch);
        Assert.Equal(new long[] { 1, 4, 3 }, output.shape);
        Assert.Equal(8 * 8, model.LatentTokens); // 8 latents at each of 8 steps of 0.125 s
    }

    [Fact]
    public void Tokens_are_a_set_their_order_does_not_matter()
    {
        UseOneThread();
        using var model = Model();
        using var a = Batch(Tokens, [0.2, 0.7]);
        using var b = Batch(Tokens.Reverse().ToArray(), [0.2, 0.7]);
        using var ya = model.forward(a);
        using var yb = model.forward(b);
        AssertClose(ya, yb, 1e-5);
    }

    [Fact]
    public void Padded_token_slots_change_nothing()
    {
        UseOneThread();
        using var model = Model();
        using var plain = Batch(Tokens, [0.3]);
        using var padded = Batch(Tokens, [0.3], padTo: 20);
        using var y1 = model.forward(plain);
        using var y2 = model.forward(padded);
        AssertClose(y1, y2, 1e-6);
    }

    [Fact]
    public void Spike_timing_and_session_change_the_output()
    {
        // Time enters only through rotary attention; a model blind to it would give the same output for moved spikes.
        UseOneThread();
        using var model = Model();
        var moved = Tokens.Select(t => t.Item2 == 0 ? (t.Item1, t.Item2, t.Item3 * 0.5) : t).ToArray();
        using var a = Batch(Tokens, [0.5]);
        using var b = Batch(moved, [0.5]);
        using var c = Batch(Tokens, [0.5], session: 0);
        using var ya = model.forward(a);
        using var yb = model.forward(b);
        using var yc = model.forward(c);
        Assert.True((ya - yb).abs().max().item<float>() > 1e-4);
        Assert.True((ya - yc).abs().max().item<float>() > 1e-4);
    }

    [Fact]
    public void Named_configurations_have_the_papers_sizes()
    {
        UseOneThread();
        using var g = new Generator(1);
        // Trunk only (no unit/session rows): POYO-1.3M and POYO-MP 11.8M.
        using var small = new PoyoModel(PoyoModelOptions.Named("1.3M"), 0, 0, 2, 1.0, g);
        using var large = new PoyoModel(PoyoModelOptions.Named("11.8M"), 0, 0, 2, 1.0, g);
        double Millions(PoyoModel m) => m.parameters().Sum(p => p.numel()) / 1e6;
        Assert.InRange(Millions(small), 1.1, 1.5);
        Assert.InRange(Millions(large), 11.0, 12.6);
        var error = Assert.Throws<ArgumentException>(() => PoyoModelOptions.Named("huge"));
        Assert.Contains("tiny, 1.3M, 11.8M", error.Message);
    }

    [Fact]
    public void Extending_the_unit_vocabulary_keeps_learned_rows_and_state_dict_names()
    {
        UseOneThread();
        using var model = Model(units: 6);
        var before = Values(model.UnitEmbedding.Weight.detach().clone());
        using (var g = new Generator(9)) model.UnitEmbedding.Extend(4, g);
        Assert.Equal(10, model.UnitEmbedding.Rows);
        var after = Values(model.UnitEmbedding.Weight.detach());
        Assert.Equal(before, after.Take(before.Length));
        Assert.Contains(after.Skip(before.Length), v => v != 0);
        Assert.Contains("unit_emb.weight", model.state_dict().Keys);
        Assert.Single(model.named_parameters(), p => p.name == "unit_emb.weight");
    }

    [Fact]
    public void Freezing_the_trunk_leaves_only_unit_and_session_embeddings_trainable()
    {
        UseOneThread();
        using var model = Model();
        model.FreezeTrunk(true);
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).Order().ToArray();
        Assert.Equal(new[] { "session_emb.weight", "unit_emb.weight" }, trainable);
        model.FreezeTrunk(false);
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void Evaluation_windows_cover_every_time_of_an_interval()
    {
        UseOneThread();
        var units = new UnitTable([new UnitInfo("u0")]);
        var recording = new Recording("s", "m", units, SpikeTrain.FromSorted([0.5], [0], 1), 0, 10);
        using var decoder = new PoyoDecoder(Model(1, 1), Options, new Vocabulary(["s/u0"]), new Vocabulary(["s"]), new ChannelNormalization([0, 0, 0], [1, 1, 1]));
        var starts = decoder.WindowStarts(new Interval(2.0, 4.2, "eval"), recording);
        Assert.Equal(new[] { 2.0, 2.5, 3.0, 3.2 }, starts.Select(s => Math.Round(s, 9)));
        // An interval shorter than a window at the recording's end gets one window inside the recording.
        Assert.Equal(new[] { 9.0 }, decoder.WindowStarts(new Interval(9.6, 9.9, "eval"), recording));
    }
}
