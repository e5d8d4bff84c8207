using System.Buffers.Binary;
using System.Text.Json;
using MLNeuro.Reporting;

namespace MLNeuro.Cli.Tests;

public sealed class LearningCurveTests
{
    [Fact]
    public void A_curve_writes_every_point_as_json_and_two_pngs()
    {
        using var tmp = new TempFolder();
        var curve = new LearningCurve("validation R²");
        for (int step = 1; step <= 1000; step++)
            curve.Add(step, 1.0 / step, step % 250 == 0 ? step / 1000.0 : null);
        curve.Add(1001, double.NaN, null);   // a diverged step is kept in the JSON as null, left out of the plot

        var files = curve.Write(tmp.Combine("run"));
        Assert.Equal(["learning-curve.json", "learning-curve.png", "learning-curve-loss.png"], files.Select(Path.GetFileName));
        using var json = JsonDocument.Parse(File.ReadAllText(files[0]));
        Assert.Equal("validation R²", json.RootElement.GetProperty("validationMetric").GetString());
        var loss = json.RootElement.GetProperty("loss");
        Assert.Equal(1001, loss.GetArrayLength());
        Assert.Equal(0.5, loss[1].GetProperty("value").GetDouble());
        Assert.Equal(JsonValueKind.Null, loss[1000].GetProperty("value").ValueKind);
        var validation = json.RootElement.GetProperty("validation");
        Assert.Equal([250, 500, 750, 1000], validation.EnumerateArray().Select(p => p.GetProperty("step").GetInt32()));
        Assert.Equal(0.75, validation[2].GetProperty("value").GetDouble());
        foreach (var png in files.Skip(1))
        {
            var header = File.ReadAllBytes(png).AsSpan(0, 24);
            Assert.True(header[..8].SequenceEqual(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }), $"{png} is not a PNG");
            Assert.Equal(800, BinaryPrimitives.ReadInt32BigEndian(header[16..20]));
        }
    }

    [Fact]
    public void Steps_must_increase_and_an_empty_curve_is_not_written()
    {
        var curve = new LearningCurve("validation loss");
        curve.Add(5, 1, null);
        Assert.Contains("step 5 does not follow step 5", Assert.Throws<ArgumentException>(() => curve.Add(5, 1, null)).Message);
        using var tmp = new TempFolder();
        Assert.Throws<InvalidOperationException>(() => new LearningCurve("x").Write(tmp.Path));
    }
}
