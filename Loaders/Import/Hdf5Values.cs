using System.Globalization;
using PureHDF;
using PureHDF.VOL.Native;

namespace MLNeuro.Loaders.Import;

/// <summary>
/// Typed reads of HDF5 datasets and attributes whatever width they were stored with. PureHDF only decodes into a .NET
/// type of the same size ("Unable to decode values types of different type size"), while NWB writers pick int8 to
/// uint64 and float32/float64 freely, so every read dispatches on the stored type here.
/// </summary>
internal static class Hdf5Values
{
    /// <summary>The dataset at a path, or null when there is none (or the path names a group).</summary>
    public static IH5Dataset? TryDataset(IH5Group parent, string path) =>
        parent.LinkExists(path) && parent.Get(path) is IH5Dataset d ? d : null;

    /// <summary>The group at a path, or null when there is none (or the path names a dataset).</summary>
    public static IH5Group? TryGroup(IH5Group parent, string path) =>
        parent.LinkExists(path) && parent.Get(path) is IH5Group g ? g : null;

    /// <summary>Number of elements along the first dimension (1 for a scalar).</summary>
    public static long Length(IH5Dataset d) => d.Space.Rank == 0 ? 1 : (long)d.Space.Dimensions[0];

    /// <summary>True for integer and floating-point data (enumerations such as h5py booleans count as integers).</summary>
    public static bool IsNumeric(IH5DataType t) => t.Class is H5DataTypeClass.FixedPoint or H5DataTypeClass.FloatingPoint
        || t.Class == H5DataTypeClass.Enumerated && t.Enumeration.BaseType.Class == H5DataTypeClass.FixedPoint;

    /// <summary>
    /// True for fixed- and variable-length strings. PureHDF reports a variable-length string as a variable-length
    /// sequence of one-byte integers (the string flag is not exposed), which is how NWB/h5py store every string.
    /// </summary>
    public static bool IsString(IH5DataType t) => t.Class == H5DataTypeClass.String
        || t.Class == H5DataTypeClass.VariableLength && t.VariableLength.BaseType is { Class: H5DataTypeClass.FixedPoint or H5DataTypeClass.String, Size: 1 };

    /// <summary>All values as doubles, flattened in row-major order.</summary>
    public static double[] ReadDoubles(IH5Dataset d)
    {
        var t = d.Type;
        if (t.Class == H5DataTypeClass.FloatingPoint)
        {
            if (t.Size == 8) return d.Read<double[]>();
            if (t.Size == 4) return Array.ConvertAll(d.Read<float[]>(), v => (double)v);
            throw new NotSupportedException($"floating-point values of {t.Size} bytes are not supported");
        }
        return Array.ConvertAll(ReadIntegers(d), v => (double)v);
    }

    /// <summary>All values as 64-bit integers, flattened in row-major order.</summary>
    public static long[] ReadIntegers(IH5Dataset d)
    {
        var t = d.Type.Class == H5DataTypeClass.Enumerated ? d.Type.Enumeration.BaseType : d.Type;
        if (t.Class != H5DataTypeClass.FixedPoint)
            throw new NotSupportedException($"expected integers but the data are of HDF5 class {d.Type.Class}");
        bool signed = t.FixedPoint.IsSigned;
        return (t.Size, signed) switch
        {
            (1, true) => Array.ConvertAll(d.Read<sbyte[]>(), v => (long)v),
            (1, false) => Array.ConvertAll(d.Read<byte[]>(), v => (long)v),
            (2, true) => Array.ConvertAll(d.Read<short[]>(), v => (long)v),
            (2, false) => Array.ConvertAll(d.Read<ushort[]>(), v => (long)v),
            (4, true) => Array.ConvertAll(d.Read<int[]>(), v => (long)v),
            (4, false) => Array.ConvertAll(d.Read<uint[]>(), v => (long)v),
            (8, true) => d.Read<long[]>(),
            (8, false) => Array.ConvertAll(d.Read<ulong[]>(), v => checked((long)v)),
            _ => throw new NotSupportedException($"integers of {t.Size} bytes are not supported"),
        };
    }

    /// <summary>All values as strings (fixed or variable length).</summary>
    public static string[] ReadStrings(IH5Dataset d) => d.Space.Rank == 0 ? new[] { d.Read<string>() } : d.Read<string[]>();

    /// <summary>
    /// Values of a 1-D column of any scalar type as invariant-culture strings ("R" round-trip for floats); NaN reads as
    /// null because NWB writers use NaN for a missing number. Returns null when the type is not a string or a number.
    /// </summary>
    public static string?[]? ReadCells(IH5Dataset d)
    {
        if (IsString(d.Type)) return ReadStrings(d);
        if (!IsNumeric(d.Type)) return null;
        if (d.Type.Class == H5DataTypeClass.FloatingPoint)
        {
            if (d.Type.Size == 4)
                return Array.ConvertAll(d.Read<float[]>(), v => float.IsNaN(v) ? null : v.ToString("R", CultureInfo.InvariantCulture));
            return Array.ConvertAll(ReadDoubles(d), v => double.IsNaN(v) ? null : v.ToString("R", CultureInfo.InvariantCulture));
        }
        return Array.ConvertAll(ReadIntegers(d), v => (string?)v.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>A string stored as a scalar dataset (or the first element of a 1-D one); null when absent, empty or unreadable.</summary>
    public static string? ReadScalarString(IH5Group parent, string path)
    {
        var d = TryDataset(parent, path);
        if (d is null) return null;
        try
        {
            string? value = IsString(d.Type) ? ReadStrings(d).FirstOrDefault() : ReadCells(d)?.FirstOrDefault();
            return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Optional descriptive fields (subject id, session id) fall back to defaults rather than failing the import.
            return null;
        }
    }

    /// <summary>A string attribute, or null when absent or not a string.</summary>
    public static string? ReadAttributeString(IH5Object obj, string name)
    {
        if (!obj.AttributeExists(name)) return null;
        var a = obj.Attribute(name);
        if (!IsString(a.Type)) return null;
        return a.Space.Rank == 0 ? a.Read<string>() : a.Read<string[]>().FirstOrDefault();
    }

    /// <summary>The names in a string-array attribute (e.g. a DynamicTable's <c>colnames</c>), or empty.</summary>
    public static string[] ReadAttributeStrings(IH5Object obj, string name)
    {
        if (!obj.AttributeExists(name)) return Array.Empty<string>();
        var a = obj.Attribute(name);
        if (!IsString(a.Type)) return Array.Empty<string>();
        return a.Space.Rank == 0 ? new[] { a.Read<string>() } : a.Read<string[]>();
    }

    /// <summary>A numeric scalar attribute (e.g. <c>rate</c>, <c>conversion</c>), or null when absent or not numeric.</summary>
    public static double? ReadAttributeDouble(IH5Object obj, string name)
    {
        if (!obj.AttributeExists(name)) return null;
        var a = obj.Attribute(name);
        var t = a.Type;
        if (t.Class == H5DataTypeClass.FloatingPoint)
            return t.Size == 8 ? a.Read<double>() : t.Size == 4 ? a.Read<float>() : null;
        if (t.Class != H5DataTypeClass.FixedPoint) return null;
        return (t.Size, t.FixedPoint.IsSigned) switch
        {
            (1, true) => a.Read<sbyte>(),
            (1, false) => a.Read<byte>(),
            (2, true) => a.Read<short>(),
            (2, false) => a.Read<ushort>(),
            (4, true) => a.Read<int>(),
            (4, false) => a.Read<uint>(),
            (8, true) => a.Read<long>(),
            (8, false) => a.Read<ulong>(),
            _ => null,
        };
    }

    /// <summary>
    /// The object an object-reference attribute points to (e.g. the <c>table</c> of a DynamicTableRegion, the
    /// <c>target</c> of a VectorIndex); null when the attribute is absent or is not an object reference. A reference
    /// that cannot be followed is a <see cref="DataFormatException"/> naming <paramref name="ownerPath"/>.
    /// </summary>
    public static IH5Object? ReadReferencedObject(IH5Group root, IH5Object owner, string attribute, string file, string ownerPath)
    {
        if (!owner.AttributeExists(attribute) || root is not NativeGroup native) return null;
        var a = owner.Attribute(attribute);
        // HDF5 object references are 8 bytes; 12-byte region references point into a dataset and are not tables.
        if (a.Type.Class != H5DataTypeClass.Reference || a.Type.Size != 8) return null;
        try
        {
            var reference = a.Space.Rank == 0 ? a.Read<NativeObjectReference1>() : a.Read<NativeObjectReference1[]>()[0];
            return native.Get(reference);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DataFormatException(file, $"the '{attribute}' attribute of {ownerPath} is an object reference that cannot be followed ({e.Message})",
                column: ownerPath, inner: e);
        }
    }
}
