using System.Text;
using MLNeuro.Loaders.Import;

namespace MLNeuro.Loaders.Tests;

public sealed class CsvReaderTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private string Write(string text, string name = "t.csv", bool bom = false)
    {
        var path = _tmp.Combine(name);
        File.WriteAllText(path, text, new UTF8Encoding(bom));
        return path;
    }

    private static (string[] Header, List<string[]> Rows) ReadAll(string path)
    {
        using var csv = CsvReader.Open(path);
        var rows = new List<string[]>();
        while (csv.Read())
            rows.Add(Enumerable.Range(0, csv.Header.Count).Select(i => csv[i].ToString()).ToArray());
        return (csv.Header.ToArray(), rows);
    }

    [Fact]
    public void Plain_fields_with_LF_and_CRLF_and_no_final_line_end()
    {
        var (header, rows) = ReadAll(Write("a,b\r\n1,2\n3,\r\n,4"));
        Assert.Equal(new[] { "a", "b" }, header);
        Assert.Equal(new[] { new[] { "1", "2" }, new[] { "3", "" }, new[] { "", "4" } }, rows);
    }

    [Fact]
    public void Quoted_fields_hold_commas_quotes_and_line_ends()
    {
        var (_, rows) = ReadAll(Write("id,text\r\n\"x,1\",\"say \"\"hi\"\"\"\r\n2,\"two\r\nlines\"\n\"\",\"\"\r\n3,a\"b\n"));
        Assert.Equal(new[] { "x,1", "say \"hi\"" }, rows[0]);
        Assert.Equal(new[] { "2", "two\r\nlines" }, rows[1]);
        Assert.Equal(new[] { "", "" }, rows[2]);
        Assert.Equal(new[] { "3", "a\"b" }, rows[3]); // a quote inside an unquoted field is an ordinary character
    }

    [Fact]
    public void Byte_order_mark_and_blank_lines_are_ignored_and_header_names_trimmed()
    {
        var path = Write("unit_id , timestamp\n\nu1,0.5\r\n\r\nu2,1e-3\n\n", bom: true);
        using var csv = CsvReader.Open(path);
        Assert.Equal(0, csv.Require("unit_id"));
        Assert.Equal(1, csv.Require("timestamp"));
        Assert.True(csv.Read());
        Assert.Equal(2, csv.Row); // blank lines count as rows, so row numbers match lines - 1
        Assert.Equal(0.5, csv.ParseFiniteDouble(1));
        Assert.True(csv.Read());
        Assert.Equal(4, csv.Row);
        Assert.Equal(1e-3, csv.ParseFiniteDouble(1));
        Assert.False(csv.Read());
    }

    [Fact]
    public void Numbers_parse_in_invariant_culture_and_empty_floats_are_NaN()
    {
        var path = Write("t,x\n-1.25E+2,\n\"3.5\", 7 \n");
        using var csv = CsvReader.Open(path);
        Assert.True(csv.Read());
        Assert.Equal(-125.0, csv.ParseFiniteDouble(0));
        Assert.True(float.IsNaN(csv.ParseFloatOrNaN(1)));
        Assert.True(csv.Read());
        Assert.Equal(3.5, csv.ParseFiniteDouble(0));
        Assert.Equal(7f, csv.ParseFloatOrNaN(1));
    }

    [Theory]
    [InlineData("t\n1,5\n", "row 1", "2 fields but the header has 1")]
    [InlineData("a,b\n1,2\n3\n", "row 2", "1 fields but the header has 2")]
    [InlineData("a,b\n1,\"open\n2,3\n", "column 'b'", "not terminated")]
    [InlineData("a,b\n\"x\"y,2\n", "column 'a'", "after a closing quote")]
    [InlineData("a,a\n1,2\n", "column 'a'", "twice")]
    [InlineData("", "t.csv", "empty")]
    [InlineData("\n\r\n", "t.csv", "empty")]
    public void Malformed_files_are_reported_with_file_row_and_column(string text, string where, string problem)
    {
        var path = Write(text);
        var e = Assert.Throws<DataFormatException>(() => ReadAll(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(where, e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Bad_number_names_row_column_and_text()
    {
        var path = Write("unit_id,timestamp\nu,1\nu,abc\n");
        using var csv = CsvReader.Open(path);
        csv.Read();
        csv.ParseFiniteDouble(1);
        csv.Read();
        var e = Assert.Throws<DataFormatException>(() => csv.ParseFiniteDouble(1));
        Assert.Equal(2, e.Row);
        Assert.Equal("timestamp", e.Column);
        Assert.Contains("'abc' is not a number", e.Message);
    }

    [Fact]
    public void Random_files_larger_than_the_buffer_parse_exactly()
    {
        // Records straddle buffer refills at every kind of position: inside quotes, between "" escapes, at CR LF.
        var random = new Random(20261127);
        const int columns = 4;
        var expected = new List<string[]>();
        var text = new StringBuilder("c0,c1,c2,c3\n");
        for (int r = 0; r < 40_000; r++)
        {
            var row = new string[columns];
            for (int c = 0; c < columns; c++)
            {
                int kind = random.Next(6);
                string value = kind switch
                {
                    0 => "",
                    1 => random.NextDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                    2 => "a\"b",
                    3 => "x,y",
                    4 => "q\"\"r\r\ns",
                    _ => new string('z', random.Next(0, 30)),
                };
                row[c] = value;
                bool quote = kind is 3 or 4 || (kind != 2 && random.Next(4) == 0);
                text.Append(quote ? "\"" + value.Replace("\"", "\"\"") + "\"" : value);
                text.Append(c < columns - 1 ? "," : random.Next(2) == 0 ? "\r\n" : "\n");
            }
            expected.Add(row);
        }
        var (_, rows) = ReadAll(Write(text.ToString()));
        Assert.Equal(expected.Count, rows.Count);
        for (int r = 0; r < rows.Count; r++) Assert.Equal(expected[r], rows[r]);
    }
}
