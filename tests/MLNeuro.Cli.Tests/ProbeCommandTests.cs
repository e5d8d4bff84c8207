using System.Text.Json;
using MLNeuro.Loaders;

namespace MLNeuro.Cli.Tests;

public sealed class ProbeCommandTests
{
    /// <summary>3 separable classes in 4 subjects; <paramref name="label"/> may override a unit's label (subject, class, i).</summary>
    private static string WriteTable(TempFolder tmp, Func<int, int, int, string?>? label = null, int subjects = 4)
    {
        var random = new Random(11);
        var features = new List<float>();
        var subject = new List<string?>();
        var cellType = new List<string?>();
        for (int s = 0; s < subjects; s++)
            for (int c = 0; c < 3; c++)
                for (int i = 0; i < 10; i++)
                {
                    for (int j = 0; j < 4; j++) features.Add((float)((j == c ? 5 : 0) + random.NextDouble()));
                    subject.Add($"mouse{s}");
                    cellType.Add(label is null ? $"type{c}" : label(s, c, i));
                }
        var table = new FeatureTable(new Dictionary<string, string?[]>
        {
            ["unit_id"] = Enumerable.Range(0, subject.Count).Select(i => $"u{i}").ToArray(),
            ["subject_id"] = subject.ToArray(),
            ["cell_type"] = cellType.ToArray(),
        }, features.ToArray(), ["a", "b", "c", "d"], "ProbeCommandTests");
        var path = tmp.Combine("features.parquet");
        table.Write(path);
        return path;
    }

    [Fact]
    public void Json_reports_the_documented_metrics()
    {
        using var tmp = new TempFolder();
        var table = WriteTable(tmp, (s, c, i) => i == 0 && s == 0 ? null : $"type{c}");
        var json = tmp.Combine("out", "probe.json");
        var (exit, stdout, stderr) = CliRunner.Run("probe", "--table", table, "--label", "cell_type", "--group", "subject_id", "--json", json);
        Assert.True(exit == 0, stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.True(root.GetProperty("balanced_accuracy").GetDouble() > 0.95);
        Assert.True(root.GetProperty("macro_f1").GetDouble() > 0.95);
        Assert.Equal(new[] { "type0", "type1", "type2" }, root.GetProperty("classes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(117, root.GetProperty("n_units").GetInt32());
        Assert.Equal(3, root.GetProperty("n_unlabeled_omitted").GetInt32());
        Assert.Equal(1.0 / 3, root.GetProperty("chance").GetDouble(), 5);
        var confusion = root.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        Assert.Equal(3, confusion.Length);
        Assert.Equal(new[] { 39, 39, 39 }, confusion.Select(r => r.Sum())); // rows = truth
        Assert.Equal(4, root.GetProperty("folds").GetArrayLength());
        Assert.Equal("mouse0", root.GetProperty("folds")[0].GetProperty("test_groups")[0].GetString());
        Assert.Equal("leave-one-group-out", root.GetProperty("options").GetProperty("cross_validation").GetString());
        Assert.True(root.GetProperty("per_class_recall").GetProperty("type1").GetDouble() > 0.9);
        Assert.Single(Directory.GetFiles(tmp.Combine("out"))); // no temporary file left behind
        Assert.Contains("balanced accuracy", stdout);
        Assert.Contains("confusion", stdout);
        Assert.Contains("type2", stdout);
    }

    [Fact]
    public void Folds_fraction_and_seed_are_applied_and_echoed()
    {
        using var tmp = new TempFolder();
        var table = WriteTable(tmp);
        var json = tmp.Combine("probe.json");
        var (exit, _, stderr) = CliRunner.Run("probe", "--table", table, "--folds", "2", "--label-fraction", "0.5", "--seed", "3", "--json", json);
        Assert.True(exit == 0, stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal(2, root.GetProperty("n_folds").GetInt32());
        var options = root.GetProperty("options");
        Assert.Equal(2, options.GetProperty("folds").GetInt32());
        Assert.Equal(0.5, options.GetProperty("label_fraction").GetDouble());
        Assert.Equal(3, options.GetProperty("seed").GetInt32());
        foreach (var fold in root.GetProperty("folds").EnumerateArray())
        {
            Assert.Equal(60, fold.GetProperty("n_train").GetInt32());  // two subjects x 30 units
            Assert.Equal(30, fold.GetProperty("n_train_used").GetInt32()); // half of each class's 20
            Assert.Equal(2, fold.GetProperty("test_groups").GetArrayLength());
        }
    }

    [Theory]
    [InlineData("lonely", "fewer than 2 units")]
    [InlineData("one-group", "has one value ('mouse0')")]
    [InlineData("bad-label", "no label column 'region'")]
    [InlineData("missing-file", "file is missing")]
    public void User_errors_are_one_line_on_stderr_and_exit_1(string case_, string expected)
    {
        using var tmp = new TempFolder();
        string table = case_ switch
        {
            "lonely" => WriteTable(tmp, (s, c, i) => s == 1 && c == 0 && i == 0 ? "lonely" : $"type{c}"),
            "one-group" => WriteTable(tmp, subjects: 1),
            "missing-file" => tmp.Combine("absent.parquet"),
            _ => WriteTable(tmp),
        };
        var args = new List<string> { "probe", "--table", table, "--json", tmp.Combine("never.json") };
        if (case_ == "bad-label") args.AddRange(["--label", "region"]);
        var (exit, stdout, stderr) = CliRunner.Run(args.ToArray());
        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Single(stderr.Trim().Split('\n'), l => l.StartsWith("mlneuro: error:"));
        Assert.Contains(expected, stderr);
        Assert.False(File.Exists(tmp.Combine("never.json")));
    }

    [Fact]
    public void Exclude_labels_leaves_those_units_out_and_echoes_them()
    {
        using var tmp = new TempFolder();
        // A class of one unit would be refused; excluding it (and a whole class) lets the probe run on the rest.
        var table = WriteTable(tmp, (s, c, i) => s == 1 && c == 0 && i == 0 ? "lonely" : $"type{c}");
        var json = tmp.Combine("probe.json");
        var (exit, stdout, stderr) = CliRunner.Run("probe", "--table", table, "--exclude-labels", "lonely, type2", "--json", json);
        Assert.True(exit == 0, stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal(new[] { "type0", "type1" }, root.GetProperty("classes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(41, root.GetProperty("n_excluded_omitted").GetInt32());
        Assert.Equal(79, root.GetProperty("n_units").GetInt32());
        Assert.Equal(new[] { "lonely", "type2" }, root.GetProperty("options").GetProperty("exclude_labels").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("41 labelled lonely / type2 excluded", stdout);
    }

    [Fact]
    public void Folds_below_two_are_rejected_at_parse_time()
    {
        using var tmp = new TempFolder();
        var (exit, _, stderr) = CliRunner.Run("probe", "--table", WriteTable(tmp), "--folds", "1");
        Assert.NotEqual(0, exit);
        Assert.Contains("--folds must be at least 2", stderr);
    }
}
