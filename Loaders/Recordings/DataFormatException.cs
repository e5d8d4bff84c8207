namespace MLNeuro.Loaders;

/// <summary>
/// Bad input data: names the file and, where known, the row and column at fault, so the user can fix the source.
/// </summary>
/// <example><code>
/// try { CsvImporter.Import(options); }
/// catch (DataFormatException e) { Console.Error.WriteLine(e.Message); } // "spikes.csv: row 17, column 'timestamp': 'abc' is not a number"
/// </code></example>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception; the message is composed from the location and the problem.</summary>
    /// <param name="file">The file (or dataset folder) that holds the bad data.</param>
    /// <param name="problem">What is wrong, in one sentence.</param>
    /// <param name="row">1-based data row (not counting a header), or null when the problem is not about one row.</param>
    /// <param name="column">Column or field name, or null.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public DataFormatException(string file, string problem, long? row = null, string? column = null, Exception? inner = null)
        : base(Compose(file, problem, row, column), inner)
    {
        File = file;
        Row = row;
        Column = column;
        Problem = problem;
    }

    /// <summary>The file (or folder) that holds the bad data.</summary>
    public string File { get; }

    /// <summary>1-based data row, when the problem is in one row.</summary>
    public long? Row { get; }

    /// <summary>The column or field at fault, when known.</summary>
    public string? Column { get; }

    /// <summary>The problem without its location.</summary>
    public string Problem { get; }

    private static string Compose(string file, string problem, long? row, string? column)
    {
        var where = file;
        if (row is not null) where += $": row {row}";
        if (column is not null) where += $"{(row is null ? ":" : ",")} column '{column}'";
        return $"{where}: {problem}";
    }
}
