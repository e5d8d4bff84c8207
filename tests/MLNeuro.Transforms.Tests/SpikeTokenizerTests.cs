using MLNeuro.Loaders;

namespace MLNeuro.Transforms.Tests;

public sealed class SpikeTokenizerTests
{
    private const TokenType S = TokenType.Spike, B = TokenType.UnitStart, E = TokenType.UnitEnd;

    // Three units over [0, 2) s; unit 2 is silent in [0, 1), and 0.2 s is a tie between units 0 and 1.
    private static readonly Recording Session = new("ses", "sub",
        new UnitTable(new[] { new UnitInfo("a"), new UnitInfo("b"), new UnitInfo("c") }),
        SpikeTrain.FromUnsorted(new[] { 0.5, 0.2, 0.1, 0.2, 1.2, 1.5 }, new[] { 1, 1, 1, 0, 0, 2 }, unitCount: 3),
        startSeconds: 0, endSeconds: 2);

    private static readonly SpikeTokenizerOptions Defaults = new();

    private static SpikeTokens Tokenize(double start, double end, SpikeTokenizerOptions? options = null)
    {
        var tokens = new SpikeTokens();
        SpikeTokenizer.Tokenize(Session, start, end, options ?? Defaults, tokens);
        return tokens;
    }

    [Fact]
    public void Start_tokens_by_unit_then_spikes_in_time_order_then_end_tokens_for_all_units()
    {
        var tokens = Tokenize(0, 1);
        Assert.Equal(10, tokens.Count);
        Assert.Equal(new[] { B, B, B, S, S, S, S, E, E, E }, tokens.Types.ToArray());
        Assert.Equal(new[] { 0, 1, 2, 1, 0, 1, 1, 0, 1, 2 }, tokens.UnitIndices.ToArray());
        Assert.Equal(new[] { 0, 0, 0, 0.1, 0.2, 0.2, 0.5, 1, 1, 1 }, tokens.Times.ToArray());
        Assert.All(tokens.Values.ToArray(), v => Assert.Equal(0f, v));
        Assert.Equal(new[] { 0, 1, 2 }, tokens.UnitVocabulary.ToArray());
        Assert.Equal(0, tokens.DroppedSpikes);
        Assert.Equal((0.0, 1.0), (tokens.WindowStartSeconds, tokens.WindowEndSeconds));
    }

    [Fact]
    public void Units_with_spikes_option_leaves_silent_units_out()
    {
        var tokens = Tokenize(0, 1, new SpikeTokenizerOptions { StartEndTokensFor = StartEndTokenUnits.UnitsWithSpikes });
        Assert.Equal(new[] { B, B, S, S, S, S, E, E }, tokens.Types.ToArray());
        Assert.Equal(new[] { 0, 1, 1, 0, 1, 1, 0, 1 }, tokens.UnitIndices.ToArray());
        Assert.Equal(new[] { 0, 1 }, tokens.UnitVocabulary.ToArray());
    }

    [Fact]
    public void Without_start_end_tokens_only_spikes_remain()
    {
        var tokens = Tokenize(0, 1, new SpikeTokenizerOptions { EmitStartEndTokens = false });
        Assert.Equal(new[] { S, S, S, S }, tokens.Types.ToArray());
        Assert.Equal(new[] { 1, 0, 1, 1 }, tokens.UnitIndices.ToArray());
        Assert.Equal(new[] { 0, 1 }, tokens.UnitVocabulary.ToArray());
    }

    [Fact]
    public void Times_are_relative_to_the_window_start_and_end_tokens_sit_at_the_window_length()
    {
        var tokens = Tokenize(1.1, 1.6);
        Assert.Equal(new[] { B, B, B, S, S, E, E, E }, tokens.Types.ToArray());
        Assert.Equal(new[] { 0, 2 }, tokens.UnitIndices[3..5].ToArray());
        Assert.Equal(new[] { 1.2 - 1.1, 1.5 - 1.1 }, tokens.Times[3..5].ToArray());
        Assert.All(tokens.Times[5..].ToArray(), t => Assert.Equal(1.6 - 1.1, t));
    }

    [Fact]
    public void Detokenize_reproduces_the_window_spikes_exactly_over_many_random_windows()
    {
        var random = new Random(7);
        var tokens = new SpikeTokens();
        for (int trial = 0; trial < 400; trial++)
        {
            // Offsets from sub-millisecond to days; window starts either on a 1/1024 s grid (near 0 included) or at least
            // one window length from 0, the two cases where Detokenize promises bit-exact spikes.
            double offset = random.NextDouble() * Math.Pow(10, random.Next(-4, 6));
            int unitCount = random.Next(1, 20), n = random.Next(0, 2000);
            var times = new double[n];
            var units = new int[n];
            for (int i = 0; i < n; i++)
            {
                times[i] = offset + random.NextDouble() * 10;
                units[i] = random.Next(unitCount);
            }
            var train = SpikeTrain.FromUnsorted(times, units, unitCount);
            double length = 0.01 + random.NextDouble() * 2, start = offset + random.NextDouble() * 9;
            start = trial % 2 == 0 ? Math.Round(start * 1024) / 1024 : Math.Max(start, length);
            double end = start + length;
            SpikeTokenizer.Tokenize(train, start, end, Defaults, tokens);

            var expected = train.Slice(start, end);
            var (backTimes, backUnits) = SpikeTokenizer.Detokenize(tokens, start);
            Assert.Equal(expected.Timestamps.ToArray(), backTimes);
            Assert.Equal(expected.UnitIndices.ToArray(), backUnits);
            Assert.Equal(expected.Count + 2 * unitCount, tokens.Count);
            Assert.All(tokens.Times.ToArray(), t => Assert.InRange(t, 0, end - start));
        }
    }

    [Fact]
    public void Detokenize_with_arbitrary_window_starts_is_within_an_ulp_of_the_relative_time()
    {
        var random = new Random(11);
        var tokens = new SpikeTokens();
        for (int trial = 0; trial < 200; trial++)
        {
            double start = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 4)), end = start + 1;
            var times = Enumerable.Range(0, 500).Select(_ => start + random.NextDouble()).ToArray();
            var train = SpikeTrain.FromUnsorted(times, new int[times.Length], 1);
            SpikeTokenizer.Tokenize(train, start, end, Defaults, tokens);
            var (back, _) = SpikeTokenizer.Detokenize(tokens, start);
            var expected = train.Slice(start, end).Timestamps.ToArray();
            for (int i = 0; i < back.Length; i++)
                Assert.True(Math.Abs(back[i] - expected[i]) <= Math.BitIncrement(1.0 + Math.Abs(start)) - (1.0 + Math.Abs(start)),
                    $"{back[i]:R} vs {expected[i]:R} (start {start:R})");
        }
    }

    [Fact]
    public void Cap_keeps_start_end_tokens_and_an_even_deterministic_share_of_every_units_spikes()
    {
        // Unit 0 fires 3000 spikes, unit 1 1000, interleaved evenly over 1 s; 10 units in all, 8 of them silent.
        var times = new List<double>();
        var units = new List<int>();
        for (int i = 0; i < 4000; i++) { times.Add(i / 4000.0); units.Add(i % 4 == 3 ? 1 : 0); }
        var train = SpikeTrain.FromSorted(times.ToArray(), units.ToArray(), unitCount: 10);
        var options = new SpikeTokenizerOptions { MaxTokens = 1020 };
        var tokens = new SpikeTokens();
        SpikeTokenizer.Tokenize(train, 0, 1, options, tokens);

        Assert.Equal(1020, tokens.Count);
        Assert.Equal(3000, tokens.DroppedSpikes);
        Assert.Equal(Enumerable.Repeat(B, 10), tokens.Types[..10].ToArray());
        Assert.Equal(Enumerable.Repeat(E, 10), tokens.Types[^10..].ToArray());
        var (kept, keptUnits) = SpikeTokenizer.Detokenize(tokens, 0);
        Assert.Equal(1000, kept.Length);
        // Kept spikes are a subset of the originals, in order, spread over the whole window...
        Assert.True(kept.Zip(kept.Skip(1)).All(p => p.First < p.Second));
        Assert.All(kept, t => Assert.Contains(t, times));
        Assert.True(kept[0] < 0.01 && kept[^1] > 0.99);
        // ...and each unit keeps a quarter of its spikes, so their rate ratio (3:1) survives, even though a stride of 4
        // over the merged sequence (0, 0, 0, 1, ...) would have kept unit 1 only.
        Assert.Equal(750, keptUnits.Count(u => u == 0));
        Assert.Equal(250, keptUnits.Count(u => u == 1));
        // Deterministic: the same window gives the same tokens.
        var again = new SpikeTokens();
        SpikeTokenizer.Tokenize(train, 0, 1, options, again);
        Assert.Equal(tokens.Times.ToArray(), again.Times.ToArray());
        Assert.Equal(tokens.UnitIndices.ToArray(), again.UnitIndices.ToArray());
    }

    [Fact]
    public void Cap_below_the_start_end_tokens_is_an_error_naming_the_options()
    {
        var error = Assert.Throws<ArgumentException>(() => Tokenize(0, 1, new SpikeTokenizerOptions { MaxTokens = 5 }));
        Assert.Equal("options", error.ParamName);
        Assert.Contains("MaxTokens", error.Message);
        // Only the units with spikes count in that mode: 2 units -> 4 start/end tokens + 1 spike.
        var tokens = Tokenize(0, 1, new SpikeTokenizerOptions { MaxTokens = 5, StartEndTokensFor = StartEndTokenUnits.UnitsWithSpikes });
        Assert.Equal((5, 3), (tokens.Count, tokens.DroppedSpikes));
    }

    [Fact]
    public void Cap_quotas_follow_largest_remainders_and_sum_to_the_budget()
    {
        // Units 0..2 with 5, 3 and 2 spikes; 4 slots: shares 2.0, 1.2, 0.8 -> quotas 2, 1, 1.
        var train = SpikeTrain.FromUnsorted(
            new[] { 0.1, 0.2, 0.3, 0.4, 0.5, 0.15, 0.25, 0.35, 0.12, 0.22 }, new[] { 0, 0, 0, 0, 0, 1, 1, 1, 2, 2 }, 3);
        var tokens = new SpikeTokens();
        SpikeTokenizer.Tokenize(train, 0, 1, new SpikeTokenizerOptions { MaxTokens = 4, EmitStartEndTokens = false }, tokens);
        Assert.Equal(6, tokens.DroppedSpikes);
        var (times, units) = SpikeTokenizer.Detokenize(tokens, 0);
        Assert.Equal(new[] { 2, 0, 1, 0 }, units);
        Assert.Equal(new[] { 0.22, 0.3, 0.35, 0.5 }, times);
    }

    [Fact]
    public void Calcium_traces_become_one_value_token_per_frame_and_unit()
    {
        // Unit-major storage: unit 0 = 0..4, unit 1 = 10..14, frames every 0.1 s.
        var traces = new CalciumTraces(new[] { 0.0, 0.1, 0.2, 0.3, 0.4 }, 2, new float[] { 0, 1, 2, 3, 4, 10, 11, 12, 13, 14 });
        var tokens = new SpikeTokens();
        SpikeTokenizer.TokenizeTraces(traces, 0.1, 0.35, tokens);
        Assert.Equal(6, tokens.Count);
        Assert.All(tokens.Types.ToArray(), t => Assert.Equal(TokenType.Value, t));
        Assert.Equal(new[] { 0, 1, 0, 1, 0, 1 }, tokens.UnitIndices.ToArray());
        Assert.Equal(new[] { 0.1 - 0.1, 0.1 - 0.1, 0.2 - 0.1, 0.2 - 0.1, 0.3 - 0.1, 0.3 - 0.1 }, tokens.Times.ToArray());
        Assert.Equal(new float[] { 1, 11, 2, 12, 3, 13 }, tokens.Values.ToArray());
        Assert.Equal(new[] { 0, 1 }, tokens.UnitVocabulary.ToArray());

        SpikeTokenizer.TokenizeTraces(traces, 5, 6, tokens);
        Assert.Equal(0, tokens.Count);
        Assert.True(tokens.UnitVocabulary.IsEmpty);
    }

    [Fact]
    public void Empty_window_gives_only_start_end_tokens_or_nothing()
    {
        var all = Tokenize(1.6, 2);
        Assert.Equal(new[] { B, B, B, E, E, E }, all.Types.ToArray());
        Assert.Empty(SpikeTokenizer.Detokenize(all, 1.6).Times);

        var some = Tokenize(1.6, 2, new SpikeTokenizerOptions { StartEndTokensFor = StartEndTokenUnits.UnitsWithSpikes });
        Assert.Equal(0, some.Count);
        Assert.True(some.UnitVocabulary.IsEmpty);

        var none = new SpikeTokens();
        SpikeTokenizer.Tokenize(SpikeTrain.Empty(0), 0, 1, Defaults, none);
        Assert.Equal(0, none.Count);
    }

    [Fact]
    public void Window_reaching_outside_the_recording_is_an_error_naming_the_bound_but_a_bare_train_is_silence_there()
    {
        Assert.Equal("windowEnd", Assert.Throws<ArgumentOutOfRangeException>(() => Tokenize(1.5, 2.5)).ParamName);
        Assert.Equal("windowStart", Assert.Throws<ArgumentOutOfRangeException>(() => Tokenize(-1, 0.5)).ParamName);
        Assert.Equal("windowEnd", Assert.Throws<ArgumentOutOfRangeException>(() => Tokenize(0, 10)).ParamName);

        var tokens = new SpikeTokens();
        SpikeTokenizer.Tokenize(Session.Spikes, 1.5, 2.5, Defaults, tokens);
        Assert.Equal(new[] { B, B, B, S, E, E, E }, tokens.Types.ToArray());
        Assert.Equal(1.0, tokens.Times[^1]);
    }

    [Fact]
    public void Bad_arguments_name_the_argument()
    {
        Assert.Equal("windowEnd", Assert.Throws<ArgumentOutOfRangeException>(() => Tokenize(1, 0.5)).ParamName);
        Assert.Equal("windowEnd", Assert.Throws<ArgumentOutOfRangeException>(() => Tokenize(1, 1)).ParamName);
        Assert.Equal("windowStart", Assert.Throws<ArgumentOutOfRangeException>(() => Tokenize(double.NaN, 1)).ParamName);
        Assert.Equal("windowEnd", Assert.Throws<ArgumentOutOfRangeException>(() => Tokenize(0, double.PositiveInfinity)).ParamName);
        Assert.Equal("MaxTokens", Assert.Throws<ArgumentOutOfRangeException>(() => Tokenize(0, 1, new SpikeTokenizerOptions { MaxTokens = 0 })).ParamName);
        Assert.Equal("StartEndTokensFor", Assert.Throws<ArgumentOutOfRangeException>(
            () => Tokenize(0, 1, new SpikeTokenizerOptions { StartEndTokensFor = (StartEndTokenUnits)7 })).ParamName);
        Assert.Equal("recording", Assert.Throws<ArgumentNullException>(() => SpikeTokenizer.Tokenize((Recording)null!, 0, 1, Defaults, new SpikeTokens())).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentNullException>(() => SpikeTokenizer.Tokenize(Session, 0, 1, Defaults, null!)).ParamName);
        Assert.Equal("windowEnd", Assert.Throws<ArgumentOutOfRangeException>(
            () => SpikeTokenizer.TokenizeTraces(new CalciumTraces([], 1, []), 1, 0, new SpikeTokens())).ParamName);
        Assert.Equal("windowStart", Assert.Throws<ArgumentOutOfRangeException>(() => SpikeTokenizer.Detokenize(new SpikeTokens(), double.NaN)).ParamName);
    }

    [Fact]
    public void A_reused_container_holds_only_the_latest_window()
    {
        var tokens = new SpikeTokens();
        var traces = new CalciumTraces(new[] { 0.0, 0.5 }, 3, new float[] { 1, 2, 3, 4, 5, 6 });
        SpikeTokenizer.TokenizeTraces(traces, 0, 1, tokens);
        SpikeTokenizer.Tokenize(Session, 0, 1, new SpikeTokenizerOptions { MaxTokens = 8 }, tokens);
        Assert.Equal(2, tokens.DroppedSpikes);

        SpikeTokenizer.Tokenize(Session, 1.1, 1.6, new SpikeTokenizerOptions { StartEndTokensFor = StartEndTokenUnits.UnitsWithSpikes }, tokens);
        Assert.Equal(6, tokens.Count);
        Assert.Equal(new[] { B, B, S, S, E, E }, tokens.Types.ToArray());
        Assert.Equal(new[] { 0, 2, 0, 2, 0, 2 }, tokens.UnitIndices.ToArray());
        Assert.Equal(new[] { 0, 2 }, tokens.UnitVocabulary.ToArray());
        Assert.All(tokens.Values.ToArray(), v => Assert.Equal(0f, v)); // the trace values are gone
        Assert.Equal(0, tokens.DroppedSpikes);
        Assert.Equal(1.1, tokens.WindowStartSeconds);
        var (times, units) = SpikeTokenizer.Detokenize(tokens, 1.1);
        Assert.Equal(new[] { 1.2, 1.5 }, times);
        Assert.Equal(new[] { 0, 2 }, units);
    }
}
