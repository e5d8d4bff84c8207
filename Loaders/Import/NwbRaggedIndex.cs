using PureHDF;

namespace MLNeuro.Loaders.Import;

/// <summary>
/// An NWB <c>VectorIndex</c>: row i of a ragged column owns data[index[i-1] : index[i]] with index[-1] = 0. Validated
/// on construction, because a broken index would silently hand spikes to the wrong unit.
/// </summary>
internal sealed class NwbRaggedIndex
{
    private readonly long[] _ends;

    private NwbRaggedIndex(long[] ends) => _ends = ends;

    /// <summary>Number of rows.</summary>
    public int RowCount => _ends.Length;

    /// <summary>Start (inclusive) and end (exclusive) of a row in the data column.</summary>
    public (int Start, int End) Row(int row) => ((int)(row == 0 ? 0 : _ends[row - 1]), (int)_ends[row]);

    /// <summary>Reads and checks the index of a column with <paramref name="dataLength"/> values.</summary>
    public static NwbRaggedIndex Read(IH5Dataset index, long dataLength, string file, string column)
    {
        long[] ends;
        try
        {
            ends = Hdf5Values.ReadIntegers(index);
        }
        catch (NotSupportedException e)
        {
            throw new DataFormatException(file, $"the ragged-array index is not an integer column ({e.Message})", column: column, inner: e);
        }
        long previous = 0;
        for (int i = 0; i < ends.Length; i++)
        {
            if (ends[i] < previous || ends[i] > dataLength)
                throw new DataFormatException(file,
                    $"index value {ends[i]} breaks the ragged array (values must ascend from 0 to the data length {dataLength})",
                    row: i + 1, column: column);
            previous = ends[i];
        }
        long last = ends.Length > 0 ? ends[^1] : 0;
        if (last != dataLength)
            throw new DataFormatException(file, $"the index ends at {last} but the data column has {dataLength} values", column: column);
        if (dataLength > int.MaxValue)
            throw new DataFormatException(file, $"{dataLength} values are more than one recording can hold", column: column);
        return new NwbRaggedIndex(ends);
    }
}
