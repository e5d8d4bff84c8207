using Microsoft.ML;
using Microsoft.ML.Data;
using MLNeuro.Loaders;
using MLNeuro.Loaders.Synthetic;
using MLNeuro.Loaders.Views;

namespace MLNeuro.Transforms.Tests;

public sealed class SpikeTokenizationEstimatorTests
{
    private sealed class Row
    {
        [ColumnName("session_id")] public string Session { get; set; } = "";
        [ColumnName("start_s")] public double Start { get; set; }
        [ColumnName("end_s")] public double End { get; set; }
        [ColumnName("token_units")] public int[] Units { get; set; } = Array.Empty<int>();
        [ColumnName("token_times")] public double[] Times { get; set; } = Array.Empty<double>();
        [ColumnName("token_types")] public int[] Types { get; set; } = Array.Empty<int>();
        [ColumnName("token_vocabulary")] public int[] Vocabulary { get; set; } = Array.Empty<int>();
        [ColumnName("token_dropped_spikes")] public int Dropped { get; set; }
    }

    [Fact]
    public void Tokens_match_the_tokenizer_and_survive_save_and_load()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("synth");
        SyntheticDataset.Write(new SyntheticOptions { Subjects = 1, SessionsPerSubject = 1, UnitsPerSession = 8, DurationSeconds = 20, Seed = 2 }, path);
        var dataset = NeuralDataset.Open(path);
        var windows = dataset.AsWindowView(new WindowViewOptions { WindowSeconds = 1, WindowsPerSession = 12, Seed = 3, IncludeSpikes = true });
        var options = new SpikeTokenizerOptions { MaxTokens = 40 };
        var ml = new MLContext(0);
        var model = ml.Transforms.TokenizeSpikes("token", options: options).Fit(windows);
        var rows = ml.Data.CreateEnumerable<Row>(model.Transform(windows), false).ToArray();
        Assert.Equal(12, rows.Length);

        var recording = dataset.ReadRecording(dataset.Sessions[0].SessionId, RecordingParts.Spikes);
        var expected = new SpikeTokens();
        foreach (var row in rows)
        {
            SpikeTokenizer.Tokenize(recording, row.Start, row.End, options, expected);
            Assert.Equal(expected.UnitIndices.ToArray(), row.Units);
            Assert.Equal(expected.Types.ToArray().Select(t => (int)t), row.Types);
            Assert.Equal(expected.UnitVocabulary.ToArray(), row.Vocabulary);
            Assert.Equal(expected.DroppedSpikes, row.Dropped);
            Assert.Equal(expected.Count, row.Times.Length);
            for (int i = 0; i < row.Times.Length; i++) Assert.Equal(expected.Times[i], row.Times[i], 12);
            Assert.True(row.Units.Length <= 40);
        }
        Assert.Contains(rows, r => r.Dropped > 0); // the cap of 40 tokens binds on some 1 s windows of 8 units

        var file = tmp.Combine("tokenizer.zip");
        ml.Model.Save(model, windows.Schema, file);
        var fresh = new MLContext(9);
        MLNeuroComponents.Register(fresh);
        var loaded = fresh.Model.Load(file, out _);
        var again = fresh.Data.CreateEnumerable<Row>(loaded.Transform(windows), false).ToArray();
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal(rows[i].Units, again[i].Units);
            Assert.Equal(rows[i].Times, again[i].Times);
            Assert.Equal(rows[i].Dropped, again[i].Dropped);
        }
    }

    [Fact]
    public void Window_view_without_spikes_is_refused_naming_the_column()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("synth");
        SyntheticDataset.Write(new SyntheticOptions { Subjects = 1, SessionsPerSubject = 1, UnitsPerSession = 4, DurationSeconds = 5, Seed = 2 }, path);
        var view = NeuralDataset.Open(path).AsWindowView(new WindowViewOptions { WindowSeconds = 1 });
        var e = Assert.Throws<ArgumentException>(() => new MLContext().Transforms.TokenizeSpikes("token").Fit(view));
        Assert.Contains("TokenizeSpikes: input column 'spike_times' is missing", e.Message);
    }
}
