using System.Buffers;
using System.Globalization;
using System.Text;

namespace MLNeuro.Loaders.Import;

/// <summary>
/// A streaming RFC 4180 reader: header row, comma separator, CRLF or LF line ends, double-quoted fields with
/// <c>""</c> escapes (which may span lines). Fields are exposed as spans into a pooled buffer that is valid until the
/// next <see cref="Read"/>, so reading a row allocates nothing. Blank lines are skipped (but counted in row numbers).
/// Every problem is reported as a <see cref="DataFormatException"/> naming the file, the 1-based data row and the column.
/// </summary>
internal sealed class CsvReader : IDisposable
{
    // A record larger than this almost always means an unterminated quote swallowed the rest of the file.
    private const int MaxRecordChars = 16 << 20;
    private const int InitialBufferChars = 1 << 16;

    private static readonly SearchValues<char> LineOrQuote = SearchValues.Create("\n\"");

    private readonly FileStream _stream;
    private readonly StreamReader _text;
    private char[] _buffer;
    private char[] _scratch = Array.Empty<char>();
    private int _start, _end;
    private bool _eof;
    private int[] _fieldStart = new int[16];
    private int[] _fieldLength = new int[16];
    private int _fieldCount;
    private bool _lastRecordHadQuotes;
    private char[] _fieldSource;
    private readonly Dictionary<string, int> _columnIndex = new(StringComparer.Ordinal);

    private CsvReader(string path)
    {
        Path = path;
        FileName = System.IO.Path.GetFileName(path);
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        _text = new StreamReader(_stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        _buffer = ArrayPool<char>.Shared.Rent(InitialBufferChars);
        _fieldSource = _buffer;
        Length = _stream.Length;
    }

    /// <summary>Opens a file and reads its header; throws <see cref="DataFormatException"/> when the file is empty or the header is bad.</summary>
    public static CsvReader Open(string path)
    {
        InputPaths.RequireFile(path, "CSV file");
        var reader = new CsvReader(path);
        try
        {
            reader.ReadHeader();
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>The path as given; exceptions name it.</summary>
    public string Path { get; }

    /// <summary>The file name without folders, for messages and provenance.</summary>
    public string FileName { get; }

    /// <summary>Column names from the header row (trimmed of surrounding white space).</summary>
    public IReadOnlyList<string> Header { get; private set; } = Array.Empty<string>();

    /// <summary>1-based data row of the current record (the header is row 0).</summary>
    public long Row { get; private set; }

    /// <summary>File length in bytes.</summary>
    public long Length { get; }

    /// <summary>Bytes read from the file so far (runs ahead of the current row by at most two buffers).</summary>
    public long BytesRead => _stream.Position;

    /// <summary>A field of the current record; valid until the next <see cref="Read"/>.</summary>
    public ReadOnlySpan<char> this[int column] => _fieldSource.AsSpan(_fieldStart[column], _fieldLength[column]);

    /// <summary>Index of a column, or -1 when the header lacks it.</summary>
    public int IndexOf(string column) => _columnIndex.TryGetValue(column, out var i) ? i : -1;

    /// <summary>Index of a column that must be present; throws naming the file, the column and the columns there are.</summary>
    public int Require(string column)
    {
        int i = IndexOf(column);
        if (i < 0) throw new DataFormatException(Path, $"required column is missing (columns: {string.Join(", ", Header)})", column: column);
        return i;
    }

    /// <summary>An exception about the current row and a column.</summary>
    public DataFormatException Error(string problem, int column) => new(Path, problem, Row, Header[column]);

    /// <summary>Parses a field as a double (invariant culture); throws naming row and column when it is not a number.</summary>
    public double ParseDouble(int column)
    {
        var text = this[column];
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw Error($"{Quote(text)} is not a number", column);
        return value;
    }

    /// <summary>Parses a field as a finite double; throws naming row and column when it is not a number, NaN or infinite.</summary>
    public double ParseFiniteDouble(int column)
    {
        double value = ParseDouble(column);
        if (!double.IsFinite(value)) throw Error($"{Quote(this[column])} is not a finite number", column);
        return value;
    }

    /// <summary>Parses a field as a float; an empty field is NaN. Throws naming row and column on other non-numeric text.</summary>
    public float ParseFloatOrNaN(int column)
    {
        var text = this[column];
        if (text.IsWhiteSpace()) return float.NaN;
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw Error($"{Quote(text)} is not a number", column);
        return value;
    }

    /// <summary>A field as a string, or null when it is empty.</summary>
    public string? StringOrNull(int column) => this[column].Length == 0 ? null : this[column].ToString();

    /// <summary>A field for a message: quoted and cut to a readable length.</summary>
    public static string Quote(ReadOnlySpan<char> text) => text.Length <= 40 ? $"'{text}'" : $"'{text[..40]}...'";

    /// <summary>Moves to the next record; false at the end of the file. Throws on ragged rows and bad quoting.</summary>
    public bool Read()
    {
        while (true)
        {
            if (!NextRecord()) return false;
            Row++;
            if (_fieldCount == 1 && _fieldLength[0] == 0 && !_lastRecordHadQuotes) continue; // blank line
            if (_fieldCount != Header.Count)
                throw new DataFormatException(Path, $"has {_fieldCount} fields but the header has {Header.Count}", Row);
            return true;
        }
    }

    private void ReadHeader()
    {
        bool any;
        do
        {
            any = NextRecord();
        } while (any && _fieldCount == 1 && _fieldLength[0] == 0 && !_lastRecordHadQuotes);
        if (!any) throw new DataFormatException(Path, "the file is empty: expected a header row");
        if (_fieldCount == 1) RejectOtherDelimiter(this[0]);
        var names = new string[_fieldCount];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = this[i].Trim().ToString();
            if (names[i].Length == 0) throw new DataFormatException(Path, $"header column {i + 1} has no name", 0);
            if (!_columnIndex.TryAdd(names[i], i)) throw new DataFormatException(Path, "the header names this column twice", 0, names[i]);
        }
        Header = names;
    }

    /// <summary>
    /// A header of one field that holds a semicolon or a tab is almost surely a file written with another separator
    /// (e.g. by a spreadsheet in a locale with decimal commas); say so instead of reporting missing columns.
    /// </summary>
    private void RejectOtherDelimiter(ReadOnlySpan<char> header)
    {
        string? found = header.Contains(';') ? "semicolon (;)" : header.Contains('\t') ? "tab" : null;
        if (found is not null)
            throw new DataFormatException(Path, $"the header {Quote(header)} is one field holding a {found}: the delimiter must be a comma (save the file as comma-separated CSV)");
    }

    /// <summary>Finds the next record and splits it into fields; false at the end of the file.</summary>
    private bool NextRecord()
    {
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            int hit = pending.IndexOfAny(LineOrQuote);
            if (hit >= 0 && pending[hit] == '\n')
            {
                SplitPlain(_start, hit);
                _start += hit + 1;
                return true;
            }
            if (hit >= 0)
            {
                // A quote: parse the record with the full grammar (rare in numeric data, so it may be slower).
                int consumed = ParseQuoted(_start);
                if (consumed >= 0)
                {
                    _start += consumed;
                    return true;
                }
            }
            else if (_eof)
            {
                if (pending.Length == 0) return false;
                SplitPlain(_start, pending.Length); // last line without a line end
                _start = _end;
                return true;
            }
            Fill(); // at the end of the file the loop above finishes the last record
        }
    }

    /// <summary>Reads more text behind the pending record (growing the buffer when the record fills it), or sets end of file.</summary>
    private void Fill()
    {
        if (_eof) return;
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxRecordChars)
                throw new DataFormatException(Path, $"a record is longer than {MaxRecordChars:N0} characters (an unterminated quote?)", NextRow);
            var bigger = ArrayPool<char>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(bigger);
            ArrayPool<char>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        int n = _text.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0) _eof = true;
        _end += n;
    }

    /// <summary>Splits a record without quotes, fields pointing into the read buffer.</summary>
    private void SplitPlain(int start, int length)
    {
        _lastRecordHadQuotes = false;
        if (length > 0 && _buffer[start + length - 1] == '\r') length--;
        _fieldSource = _buffer;
        _fieldCount = 0;
        var line = _buffer.AsSpan(start, length);
        int offset = start;
        while (true)
        {
            int comma = line.IndexOf(',');
            if (comma < 0)
            {
                AddField(offset, line.Length);
                return;
            }
            AddField(offset, comma);
            offset += comma + 1;
            line = line[(comma + 1)..];
        }
    }

    /// <summary>
    /// Parses a record that contains a quote, copying its unescaped fields into the scratch buffer (the read buffer is
    /// left untouched, so the record can be parsed again after a refill). Returns the characters consumed, or -1 when
    /// the buffer ends before the record does and more text is available.
    /// </summary>
    private int ParseQuoted(int start)
    {
        _lastRecordHadQuotes = true;
        if (_scratch.Length < _end - start) GrowScratch(_end - start);
        _fieldSource = _scratch;
        _fieldCount = 0;
        int w = 0, i = start;
        while (true)
        {
            int fieldStart = w;
            bool quoted = i < _end && _buffer[i] == '"';
            if (quoted)
            {
                i++;
                while (true)
                {
                    if (i >= _end)
                    {
                        if (!_eof) return -1;
                        throw new DataFormatException(Path, "a quoted field is not terminated (missing closing \")", NextRow, ColumnName(_fieldCount));
                    }
                    char c = _buffer[i];
                    if (c != '"')
                    {
                        _scratch[w++] = c;
                        i++;
                    }
                    else if (i + 1 < _end && _buffer[i + 1] == '"')
                    {
                        _scratch[w++] = '"';
                        i += 2;
                    }
                    else if (i + 1 >= _end && !_eof) return -1; // cannot tell "" from a closing quote yet
                    else
                    {
                        i++;
                        break;
                    }
                }
                // A CR right after the closing quote must be the first half of a CRLF line end.
                if (i < _end && _buffer[i] == '\r')
                {
                    if (i + 1 >= _end && !_eof) return -1;
                    if (i + 1 < _end && _buffer[i + 1] != '\n')
                        throw new DataFormatException(Path, "unexpected carriage return after a closing quote", NextRow, ColumnName(_fieldCount));
                    i++;
                }
                // After the closing quote only a separator or a line end may follow.
                if (i < _end && _buffer[i] is not (',' or '\n'))
                    throw new DataFormatException(Path, $"unexpected character '{_buffer[i]}' after a closing quote", NextRow, ColumnName(_fieldCount));
            }
            else
            {
                // Unquoted field: quotes inside it are ordinary characters.
                while (i < _end && _buffer[i] is not (',' or '\n'))
                    _scratch[w++] = _buffer[i++];
            }
            if (i >= _end)
            {
                if (!_eof) return -1;
                AddField(fieldStart, quoted ? w - fieldStart : TrimCr(fieldStart, w));
                return i - start;
            }
            if (_buffer[i] == ',')
            {
                AddField(fieldStart, w - fieldStart);
                i++;
                continue;
            }
            // Line end; a CR before it (CRLF) is not part of an unquoted field.
            AddField(fieldStart, quoted ? w - fieldStart : TrimCr(fieldStart, w));
            return i + 1 - start;
        }
    }

    /// <summary>Row number of the record being parsed (0 for the header).</summary>
    private long NextRow => Header.Count == 0 ? 0 : Row + 1;

    private int TrimCr(int fieldStart, int w) => w > fieldStart && _scratch[w - 1] == '\r' ? w - 1 - fieldStart : w - fieldStart;

    private string? ColumnName(int index) => index < Header.Count ? Header[index] : Header.Count == 0 ? null : $"#{index + 1}";

    private void GrowScratch(int size)
    {
        if (_scratch.Length > 0) ArrayPool<char>.Shared.Return(_scratch);
        _scratch = ArrayPool<char>.Shared.Rent(Math.Max(size, InitialBufferChars));
    }

    private void AddField(int start, int length)
    {
        if (_fieldCount == _fieldStart.Length)
        {
            Array.Resize(ref _fieldStart, _fieldCount * 2);
            Array.Resize(ref _fieldLength, _fieldCount * 2);
        }
        _fieldStart[_fieldCount] = start;
        _fieldLength[_fieldCount] = length;
        _fieldCount++;
    }

    /// <summary>Closes the file and returns the pooled buffers.</summary>
    public void Dispose()
    {
        _text.Dispose();
        if (_buffer.Length > 0) ArrayPool<char>.Shared.Return(_buffer);
        if (_scratch.Length > 0) ArrayPool<char>.Shared.Return(_scratch);
        _buffer = _scratch = Array.Empty<char>();
    }
}
